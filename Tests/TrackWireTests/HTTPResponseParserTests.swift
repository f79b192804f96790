import Testing
import TrackWire

@Suite struct HTTPResponseParserTests {
    let parser = HTTPResponseParser()

    @Test func parsesContentLengthResponse() throws {
        let wire = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":1}"
        let expected = HTTPResponse(
            status: 201, headers: HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "8")]),
            body: Array("{\"id\":1}".utf8))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func parsesChunkedResponseWithTrailer() throws {
        let wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
        let expected = HTTPResponse(
            status: 200, headers: HTTPHeaders([("Transfer-Encoding", "chunked")]), body: Array("abcde".utf8))
        try expectParsesEveryWay(wire, as: expected)
    }

    @Test func acceptsStatusLineWithoutReason() throws {
        try expectParsesEveryWay(
            "HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n",
            as: HTTPResponse(status: 404, headers: HTTPHeaders([("Content-Length", "0")])))
        try expectParsesEveryWay("HTTP/1.1 204 \r\n\r\n", as: HTTPResponse(status: 204))
    }

    @Test func continueComesAsItsOwnResponse() throws {
        let wire = Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)
        let responses = try parsePipelined(wire) { try parsedMessage($0, parser) }
        #expect(
            responses == [
                HTTPResponse(status: 100),
                HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "2")]), body: Array("ok".utf8)),
            ])
    }

    @Test func headResponseEndsWithItsHead() throws {
        let wire = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".utf8)
        let expected = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Length", "5")]))
        #expect(try parser.parse(wire, bodyless: true) == .response(expected, consumed: wire.count))
        #expect(try parser.parse(wire) == .incomplete)
    }

    @Test func notModifiedIgnoresContentLength() throws {
        let wire = Array("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n".utf8)
        let expected = HTTPResponse(status: 304, headers: HTTPHeaders([("Content-Length", "5")]))
        #expect(try parser.parse(wire) == .response(expected, consumed: wire.count))
    }

    @Test(arguments: [
        ("HTTP/1.1 20 OK\r\n\r\n", 400),
        ("HTTP/1.1 2000 OK\r\n\r\n", 400),
        ("HTTP/1.1 099 Low\r\n\r\n", 400),
        ("HTTP/1.1  200 OK\r\n\r\n", 400),
        ("HTTP/1.1 200 O\u{0}K\r\nContent-Length: 0\r\n\r\n", 400),
        ("HTTP/2.0 200 OK\r\n\r\n", 505),
        ("HTTP/1.1 200 OK\r\n\r\n", 501),
        ("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 400),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nq\r\n", 400),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: br\r\n\r\n", 501),
    ])
    func rejectsMalformedResponse(wire: String, status: Int) throws {
        let error = try #require(throws: HTTPParseError.self) { try parser.parse(Array(wire.utf8)) }
        #expect(error.status == status, "\(error.reason)")
    }

    @Test func limitsApplyToResponsesToo() {
        let small = HTTPResponseParser(maxHeaderBytes: 48, maxBodyBytes: 4)
        #expect(throws: HTTPParseError(status: 413, reason: "body exceeds 4 bytes")) {
            try small.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".utf8))
        }
        #expect(throws: HTTPParseError(status: 431, reason: "header block exceeds 48 bytes")) {
            try small.parse(Array("HTTP/1.1 200 OK\r\nX-Long: \(String(repeating: "a", count: 32))".utf8))
        }
    }

    private func expectParsesEveryWay(_ wire: String, as expected: HTTPResponse) throws {
        let bytes = Array(wire.utf8)
        #expect(try parser.parse(bytes) == .response(expected, consumed: bytes.count))
        #expect(try parseByteByByte(bytes) { try parsedMessage($0, parser) } == expected)
        let responses = try parsePipelined(Array(repeating: bytes, count: 3).flatMap { $0 }) {
            try parsedMessage($0, parser)
        }
        #expect(responses == Array(repeating: expected, count: 3))
    }

    private func parsedMessage(_ bytes: ArraySlice<UInt8>, _ parser: HTTPResponseParser) throws
        -> (HTTPResponse, Int)?
    {
        guard case .response(let response, let consumed) = try parser.parse(bytes) else { return nil }
        return (response, consumed)
    }
}
