import Testing
import TrackWire

@Suite struct HTTPRequestParserTests {
    let parser = HTTPRequestParser()

    @Test func parsesGetWithQueryAndHeaders() throws {
        let wire = "GET /?id=123456&lat=52.1&lon=4.3 HTTP/1.1\r\nHost: track.example\r\nUser-Agent:  OsmAnd~ \r\n\r\n"
        let expected = HTTPRequest(
            method: "GET", target: "/?id=123456&lat=52.1&lon=4.3", minorVersion: 1,
            headers: HTTPHeaders([("Host", "track.example"), ("User-Agent", "OsmAnd~")]))
        try expectParsesEveryWay(wire, as: expected)
        #expect(expected.path == "/")
        #expect(expected.query == "id=123456&lat=52.1&lon=4.3")
    }

    @Test func parsesPostWithContentLengthBody() throws {
        let wire =
            "POST /api/positions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"id\":\"123\"}\n"
        let expected = HTTPRequest(
            method: "POST", target: "/api/positions", minorVersion: 1,
            headers: HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "13")]),
            body: Array("{\"id\":\"123\"}\n".utf8))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func decodesChunkedBodyWithExtensionsAndTrailers() throws {
        let wire =
            "POST /upload HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=\"quoted value\"\r\nhello\r\n6 ; ext\r\n world\r\nA\r\n0123456789\r\n0;last\r\n"
            + "X-Checksum: abc\r\nX-Other: 1\r\n\r\n"
        let expected = HTTPRequest(
            method: "POST", target: "/upload", minorVersion: 1,
            headers: HTTPHeaders([("Transfer-Encoding", "Chunked")]), body: Array("hello world0123456789".utf8))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func keepsBodyBytesRawEvenWhenNotUTF8() throws {
        let head = Array("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\n".utf8)
        let body: [UInt8] = [0x00, 0xFF, 0xC0, 0x0D]
        let expected = HTTPRequest(
            method: "POST", target: "/", headers: HTTPHeaders([("Content-Length", "4")]), body: body)
        try expectParsesEveryWay(head + body, as: expected)
    }

    @Test func toleratesLeadingEmptyLineAndBareLineFeeds() throws {
        let wire = "\r\nGET /a HTTP/1.1\nHost: x\n\n"
        let expected = HTTPRequest(method: "GET", target: "/a", headers: HTTPHeaders([("Host", "x")]))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func acceptsUTF8ValuesAndEmptyValues() throws {
        let wire = "GET /stra\u{DF}e HTTP/1.1\r\nX-Name: M\u{FC}ller \u{1F697}\r\nX-Empty:\r\n\r\n"
        let expected = HTTPRequest(
            method: "GET", target: "/stra\u{DF}e",
            headers: HTTPHeaders([("X-Name", "M\u{FC}ller \u{1F697}"), ("X-Empty", "")]))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func acceptsAgreeingContentLengths() throws {
        let wire = "PUT /x HTTP/1.1\r\nContent-Length: 2, 2\r\ncontent-length: 2\r\n\r\nok"
        let expected = HTTPRequest(
            method: "PUT", target: "/x",
            headers: HTTPHeaders([("Content-Length", "2, 2"), ("content-length", "2")]), body: Array("ok".utf8))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func headerBlockExactlyAtTheLimitIsAccepted() throws {
        let wire = Array("GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 41))\r\n\r\n".utf8)
        #expect(wire.count == 64)
        let request = try #require(try parsedRequest(wire, HTTPRequestParser(maxHeaderBytes: 64)))
        #expect(request.headers["x"]?.count == 41)
        #expect(throws: HTTPParseError.self) { try HTTPRequestParser(maxHeaderBytes: 63).parse(wire) }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false),
    ])
    func keepAliveFollowsVersionAndConnectionHeader(wire: String, keepAlive: Bool) throws {
        let request = try #require(try parsedRequest(Array(wire.utf8), parser))
        #expect(request.keepAlive == keepAlive)
        #expect(request.minorVersion == (wire.contains("HTTP/1.0") ? 0 : 1))
    }

    @Test func asksForContinueOnceTheHeadHasArrived() throws {
        let head = "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
        #expect(try parser.parse(Array(head.utf8.dropLast(2))) == .incomplete(expectsContinue: false))
        #expect(try parser.parse(Array(head.utf8)) == .incomplete(expectsContinue: true))
        #expect(try parser.parse(Array((head + "ab").utf8)) == .incomplete(expectsContinue: true))
        let expected = HTTPRequest(
            method: "POST", target: "/p",
            headers: HTTPHeaders([("Expect", "100-continue"), ("Content-Length", "3")]), body: Array("abc".utf8))
        try expectParsesEveryWay(head + "abc", as: expected)
    }

    @Test func continueIsNotAskedForWithoutPendingBodyOrOnHTTP10() throws {
        let chunked = "POST / HTTP/1.1\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(try parser.parse(Array(chunked.utf8)) == .incomplete(expectsContinue: true))
        let old = "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
        #expect(try parser.parse(Array(old.utf8)) == .incomplete(expectsContinue: false))
        let empty = Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(try parsedRequest(empty, parser)?.body == [])
    }

    @Test func answersOversizedDeclaredBodyBeforeItArrives() {
        let head = Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 65537\r\n\r\n".utf8)
        #expect(throws: HTTPParseError(status: 413, reason: "body exceeds 65536 bytes")) { try parser.parse(head) }
    }

    @Test func rejectsNonHTTPPeerBeforeALineEnds() throws {
        let tlsHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01]
        #expect(throws: HTTPParseError.self) { try parser.parse(tlsHello) }
        #expect(try parser.parse(Array("GET /partial".utf8)) == .incomplete(expectsContinue: false))
    }

    @Test func headBeyondLimitWithoutBlankLineIs431() throws {
        let small = HTTPRequestParser(maxHeaderBytes: 64)
        let wire = Array("GET / HTTP/1.1\r\nX-Long: \(String(repeating: "a", count: 60))".utf8)
        #expect(throws: HTTPParseError(status: 431, reason: "header block exceeds 64 bytes")) {
            try small.parse(wire)
        }
        #expect(try small.parse(Array(wire.prefix(63))) == .incomplete(expectsContinue: false))
    }

    @Test func chunkedBodyBeyondLimitIs413() {
        let small = HTTPRequestParser(maxBodyBytes: 8)
        let wire = Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n4\r\n".utf8)
        #expect(throws: HTTPParseError(status: 413, reason: "body exceeds 8 bytes")) { try small.parse(wire) }
        let overflowing = Array(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(String(repeating: "F", count: 40))\r\n".utf8)
        #expect(throws: HTTPParseError(status: 413, reason: "body exceeds 8 bytes")) { try small.parse(overflowing) }
    }

    @Test(arguments: RejectedRequest.all)
    func rejectsMalformedRequest(_ rejected: RejectedRequest) throws {
        let error = try #require(throws: HTTPParseError.self) { try parser.parse(rejected.wire) }
        #expect(error.status == rejected.status, "\(error.reason)")
        #expect(!error.reason.isEmpty && !error.reason.contains("\n"))
        let fed = try #require(throws: HTTPParseError.self) { try parseByteByByte(rejected.wire, parser) }
        #expect(fed.status == error.status)
    }
}

/// A request the parser must refuse, with the status the server answers.
struct RejectedRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let wire: [UInt8]
    let status: Int

    var testDescription: String { name }

    init(_ name: String, _ wire: String, _ status: Int) {
        self.init(name, Array(wire.utf8), status)
    }

    init(_ name: String, _ wire: [UInt8], _ status: Int) {
        self.name = name
        self.wire = wire
        self.status = status
    }

    static let all: [RejectedRequest] = [
        .init("missing version", "GET /\r\n\r\n", 400),
        .init("double space", "GET  / HTTP/1.1\r\n\r\n", 400),
        .init("trailing space", "GET / HTTP/1.1 \r\n\r\n", 400),
        .init("lowercase version", "GET / http/1.1\r\n\r\n", 400),
        .init("two-digit minor", "GET / HTTP/1.10\r\n\r\n", 400),
        .init("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", 505),
        .init("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", 505),
        .init("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 505),
        .init("method not a token", "GE(T / HTTP/1.1\r\n\r\n", 400),
        .init("NUL in target", "GET /a\u{0}b HTTP/1.1\r\n\r\n", 400),
        .init("tab in target", "GET /a\tb HTTP/1.1\r\n\r\n", 400),
        .init("invalid UTF-8 target", Array("GET /".utf8) + [0xC0, 0xAF] + Array(" HTTP/1.1\r\n\r\n".utf8), 400),
        .init("NUL in value", "GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n", 400),
        .init("DEL in value", "GET / HTTP/1.1\r\nX: a\u{7F}\r\n\r\n", 400),
        .init("bare CR in value", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", 400),
        .init("invalid UTF-8 value", Array("GET / HTTP/1.1\r\nX: ".utf8) + [0xFF] + Array("\r\n\r\n".utf8), 400),
        .init("folded header", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400),
        .init("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        .init("space in name", "GET / HTTP/1.1\r\nX Y: x\r\n\r\n", 400),
        .init("name not a token", "GET / HTTP/1.1\r\nX@Y: x\r\n\r\n", 400),
        .init("empty name", "GET / HTTP/1.1\r\n: x\r\n\r\n", 400),
        .init("no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400),
        .init("non-numeric length", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
        .init("negative length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        .init("signed length", "POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", 400),
        .init("empty length", "POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400),
        .init("conflicting list", "POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nab", 400),
        .init("conflicting fields", "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        .init("huge length", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413),
        .init("gzip", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        .init("gzip then chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        .init(
            "chunked twice", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        .init("empty coding", "POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n", 400),
        .init(
            "chunked and length", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400),
        .init("bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        .init("empty chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
        .init("junk after size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", 400),
        .init("chunk overruns", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
        .init("oversized chunk", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10001\r\n", 413),
        .init("bad trailer", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer\r\n\r\n", 400),
    ]
}

/// Checks the contract every caller relies on: the same request whether the bytes arrive whole, one at a time
/// or pipelined behind copies of themselves.
func expectParsesEveryWay(_ wire: String, as expected: HTTPRequest) throws {
    try expectParsesEveryWay(Array(wire.utf8), as: expected)
}

func expectParsesEveryWay(_ wire: [UInt8], as expected: HTTPRequest) throws {
    let parser = HTTPRequestParser()
    #expect(try parser.parse(wire) == .request(expected, consumed: wire.count))
    #expect(try parseByteByByte(wire, parser) == expected)
    let requests = try parsePipelined(Array(repeating: wire, count: 3).flatMap { $0 }) { try parsedMessage($0, parser) }
    #expect(requests == Array(repeating: expected, count: 3))
}

/// The request in `bytes` if complete, with how many bytes it took.
func parsedMessage(_ bytes: ArraySlice<UInt8>, _ parser: HTTPRequestParser) throws -> (HTTPRequest, Int)? {
    guard case .request(let request, let consumed) = try parser.parse(bytes) else { return nil }
    return (request, consumed)
}

func parsedRequest(_ bytes: [UInt8], _ parser: HTTPRequestParser) throws -> HTTPRequest? {
    try parsedMessage(bytes[...], parser)?.0
}

/// Feeds growing prefixes of `wire`; a request must appear exactly at the last byte and consume everything.
func parseByteByByte(_ wire: [UInt8], _ parser: HTTPRequestParser) throws -> HTTPRequest? {
    try parseByteByByte(wire) { try parsedMessage($0, parser) }
}

/// The message-agnostic part of the byte-by-byte check, shared with the response parser tests.
func parseByteByByte<Message>(_ wire: [UInt8], _ parse: (ArraySlice<UInt8>) throws -> (Message, Int)?) throws
    -> Message?
{
    for end in 1..<wire.count {
        #expect(try parse(wire[..<end]) == nil, "complete after \(end) of \(wire.count) bytes")
    }
    let (message, consumed) = try #require(try parse(wire[...]))
    #expect(consumed == wire.count)
    return message
}

/// Parses messages back to back, dropping consumed bytes each time, until nothing is left.
func parsePipelined<Message>(_ wire: [UInt8], _ parse: (ArraySlice<UInt8>) throws -> (Message, Int)?) throws
    -> [Message]
{
    var rest = wire[...]
    var messages: [Message] = []
    while !rest.isEmpty {
        let (message, consumed) = try #require(try parse(rest))
        messages.append(message)
        rest = rest.dropFirst(consumed)
    }
    return messages
}
