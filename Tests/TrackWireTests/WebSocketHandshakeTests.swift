import Testing
import TrackWire

@Suite struct WebSocketHandshakeTests {
    /// RFC 6455 §1.3's example handshake, answered with the accept value the RFC computes.
    @Test func acceptsTheRFCExample() throws {
        let request = try upgradeRequest(
            "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let expected = HTTPResponse(
            status: 101,
            headers: HTTPHeaders([
                ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            ]))
        let handshake = WebSocketHandshake(request)
        #expect(handshake == .accept(expected))
        #expect(handshake.response == expected)
    }

    /// What browsers and Traccar's web app send to `/api/socket`: a token query, mixed case and a token list.
    @Test func acceptsBrowserStyleHeaders() throws {
        let request = try upgradeRequest(
            "GET /api/socket?token=abc HTTP/1.1\r\nHost: itrack:8082\r\nConnection: keep-alive, Upgrade\r\n"
                + "Upgrade: WebSocket\r\nsec-websocket-version: 13\r\n"
                + "sec-websocket-key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "Cookie: JSESSIONID=x\r\n\r\n")
        // Computed with Python's hashlib and base64, so the test does not trust the code it checks.
        let accept = "C/0nmHhBztSRGR1CwL6Tf4ZjwpY="
        let expected = HTTPResponse(
            status: 101,
            headers: HTTPHeaders([
                ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", accept),
            ]))
        #expect(WebSocketHandshake(request) == .accept(expected))
    }

    @Test(arguments: RejectedUpgrade.all)
    func refusesWithAOneLineReason(_ rejected: RejectedUpgrade) throws {
        let handshake = WebSocketHandshake(try upgradeRequest(rejected.wire))
        #expect(handshake == .reject(HTTPParseError(status: rejected.status, reason: rejected.reason)))
        var headers = HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")])
        if rejected.status == 426 { headers.add("Sec-WebSocket-Version", "13") }
        let body = Array((rejected.reason + "\n").utf8)
        #expect(handshake.response == HTTPResponse(status: rejected.status, headers: headers, body: body))
    }

    /// The request `wire` holds, parsed as the server would.
    private func upgradeRequest(_ wire: String) throws -> HTTPRequest {
        guard case .request(let request, _) = try HTTPRequestParser().parse(Array(wire.utf8)) else {
            throw HTTPParseError(status: 0, reason: "incomplete test request")
        }
        return request
    }
}

/// An upgrade request the server must refuse, with the status and reason it answers.
struct RejectedUpgrade: Sendable, CustomTestStringConvertible {
    let name: String
    let wire: String
    let status: Int
    let reason: String

    var testDescription: String { name }

    static let good = [
        "Host: x", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
    ]

    /// A GET to `/api/socket` with the good headers, `replacing` some by name prefix (an empty value drops it).
    init(
        _ name: String, _ status: Int, _ reason: String, requestLine: String = "GET /api/socket HTTP/1.1",
        replacing: [String: [String]] = [:]
    ) {
        var lines = [requestLine]
        for header in Self.good {
            let field = String(header.prefix { $0 != ":" })
            lines += replacing[field] ?? [header]
        }
        self.name = name
        self.wire = lines.joined(separator: "\r\n") + "\r\n\r\n"
        self.status = status
        self.reason = reason
    }

    static let badKey = "Sec-WebSocket-Key is not one base64-encoded 16-byte value"
    static let noUpgrade = "not a WebSocket upgrade: no Upgrade: websocket header"
    static let noConnection = "WebSocket upgrade without Connection: Upgrade"
    static let wrongVersion = "only WebSocket version 13 is supported"

    static let all: [RejectedUpgrade] = [
        .init("POST", 400, "WebSocket upgrade must be a GET, not POST", requestLine: "POST /api/socket HTTP/1.1"),
        .init("HTTP/1.0", 400, "WebSocket upgrade needs HTTP/1.1", requestLine: "GET /api/socket HTTP/1.0"),
        .init("no Upgrade", 400, noUpgrade, replacing: ["Upgrade": []]),
        .init("Upgrade: h2c", 400, noUpgrade, replacing: ["Upgrade": ["Upgrade: h2c"]]),
        .init("Upgrade: websockets", 400, noUpgrade, replacing: ["Upgrade": ["Upgrade: websockets"]]),
        .init("no Connection", 400, noConnection, replacing: ["Connection": []]),
        .init("Connection: keep-alive", 400, noConnection, replacing: ["Connection": ["Connection: keep-alive"]]),
        .init("Connection: upgrades", 400, noConnection, replacing: ["Connection": ["Connection: upgrades"]]),
        .init("version 8", 426, wrongVersion, replacing: ["Sec-WebSocket-Version": ["Sec-WebSocket-Version: 8"]]),
        .init("no version", 426, wrongVersion, replacing: ["Sec-WebSocket-Version": []]),
        .init(
            "version list", 426, wrongVersion,
            replacing: ["Sec-WebSocket-Version": ["Sec-WebSocket-Version: 13, 8"]]),
        .init(
            "two versions", 426, wrongVersion,
            replacing: ["Sec-WebSocket-Version": ["Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 13"]]),
        .init("no key", 400, badKey, replacing: ["Sec-WebSocket-Key": []]),
        .init("key not base64", 400, badKey, replacing: ["Sec-WebSocket-Key": ["Sec-WebSocket-Key: not*base64!!"]]),
        .init(
            "15-byte key", 400, badKey, replacing: ["Sec-WebSocket-Key": ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"]]),
        .init(
            "17-byte key", 400, badKey,
            replacing: ["Sec-WebSocket-Key": ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="]]),
        .init(
            "unpadded key", 400, badKey,
            replacing: ["Sec-WebSocket-Key": ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"]]),
        .init(
            "two keys", 400, badKey,
            replacing: [
                "Sec-WebSocket-Key": [
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==",
                ]
            ]),
    ]
}
