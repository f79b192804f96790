import Foundation
import TestSupport
import Testing
import TrackWire

/// One captured request under `fixtures/osmand/` with what decoding it must give.
struct OsmAndFixture: CustomTestStringConvertible, Sendable {
    /// The file name without `.http`.
    let name: String

    var testDescription: String { name }

    /// Every fixture in the folder, sorted, so a new file is tested without touching this code.
    static let all: [OsmAndFixture] = {
        let folder = RepositoryPaths.fixture("osmand")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".http") }.sorted().map { OsmAndFixture(name: String($0.dropLast(5))) }
    }()

    func bytes() throws -> [UInt8] {
        try RepositoryPaths.fixtureBytes("osmand/\(name).http")
    }

    func expectedText() throws -> String {
        String(decoding: try RepositoryPaths.fixtureBytes("osmand/\(name).expected.json"), as: UTF8.self)
    }

    func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(try expectedText().utf8))
    }

    /// The fixture's single request, parsed from all of its bytes at once.
    func request() throws -> HTTPRequest {
        let requests = try HTTPFeed.requests(in: try bytes())
        try #require(requests.count == 1, "\(name).http must hold exactly one request")
        return requests[0]
    }

    /// The scalar fields of `NAME.expected.json`; `attributes` and `network` are compared as raw JSON text,
    /// because 87 and 87.0 are different attributes to Traccar and `JSONDecoder` cannot tell them apart.
    struct Expected: Decodable {
        let status: Int
        let error: String?
        let uniqueId: String?
        /// ISO 8601, or `receivedAt` for a report without a timestamp.
        let fixTime: String?
        let deviceTime: String?
        let valid, outdated: Bool?
        let latitude, longitude, altitude, speed, course, accuracy: Double?
        let notificationToken: String?
    }
}

/// Feeds bytes to `HTTPRequestParser` the way a connection does: keep what is unparsed, drop what is consumed.
enum HTTPFeed {
    /// Every request in `bytes`, parsed from one buffer.
    static func requests(in bytes: [UInt8]) throws -> [HTTPRequest] {
        var buffer = bytes[...]
        var requests: [HTTPRequest] = []
        while !buffer.isEmpty, case .request(let request, let consumed) = try HTTPRequestParser().parse(buffer) {
            requests.append(request)
            buffer = buffer.dropFirst(consumed)
        }
        #expect(buffer.isEmpty, "bytes left after the last request")
        return requests
    }

    /// Every request in `bytes`, arriving one byte per read; also reports whether any head asked for
    /// `100 Continue` before its body.
    static func requestsByteByByte(in bytes: [UInt8]) throws -> (requests: [HTTPRequest], continues: Int) {
        var buffer: [UInt8] = []
        var requests: [HTTPRequest] = []
        var continues = 0
        var continued = false
        for byte in bytes {
            buffer.append(byte)
            switch try HTTPRequestParser().parse(buffer) {
            case .incomplete(let expectsContinue):
                if expectsContinue && !continued { continues += 1 }
                continued = continued || expectsContinue
            case .request(let request, let consumed):
                requests.append(request)
                buffer.removeFirst(consumed)
                continued = false
            }
        }
        #expect(buffer.isEmpty, "bytes left after the last request")
        return (requests, continues)
    }
}

/// Reads one member of a JSON object as its raw text, whitespace outside strings removed.
enum RawJSON {
    static func member(_ name: String, in text: String) -> String? {
        let bytes = Array(text.utf8)
        let key = Array("\"\(name)\"".utf8)
        guard var index = bytes.indices.first(where: { bytes[$0...].starts(with: key) }) else { return nil }
        index += key.count
        while index < bytes.count, bytes[index] != UInt8(ascii: ":") { index += 1 }
        index += 1
        var output: [UInt8] = []
        var depth = 0
        var inString = false
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return String(decoding: output, as: UTF8.self) }
                depth -= 1
            case UInt8(ascii: ","): if depth == 0 { return String(decoding: output, as: UTF8.self) }
            default: break
            }
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Requests built in code for the rule tests, decoded with a fixed receive time.
enum Sample {
    /// 2026-11-18T10:53:20Z, the receive time every test decodes with.
    static let receivedAt = Date(timeIntervalSince1970: 1_795_000_000)

    static func query(_ query: String, method: String = "GET", path: String = "/") -> HTTPRequest {
        HTTPRequest(method: method, target: path + "?" + query)
    }

    static func form(_ body: String, target: String = "/") -> HTTPRequest {
        HTTPRequest(
            method: "POST", target: target,
            headers: HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded")]), body: Array(body.utf8))
    }

    static func json(_ body: String, contentType: String? = "application/json") -> HTTPRequest {
        HTTPRequest(
            method: "POST", target: "/", headers: HTTPHeaders(contentType.map { [("Content-Type", $0)] } ?? []),
            body: Array(body.utf8))
    }
}
