import Testing
import TrackWire

@Suite struct HTTPResponseWriterTests {
    let textResponse = HTTPResponse(
        status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Array("hello".utf8))

    @Test func writesStatusHeadersLengthAndBody() {
        let bytes = textResponse.serialized(headOnly: false, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
    }

    @Test func closingConnectionSaysSo() {
        let bytes = HTTPResponse.text(400, "bad id").serialized(headOnly: false, keepAlive: false)
        #expect(
            text(bytes) == "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 7\r\nConnection: close\r\n\r\nbad id\n")
    }

    @Test func headAnswerStatesTheLengthButSendsNoBody() {
        let bytes = textResponse.serialized(headOnly: true, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func emptyOkStillHasContentLength() {
        #expect(
            text(HTTPResponse.ok.serialized(headOnly: false, keepAlive: true))
                == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func noContentHasNeitherLengthNorBody() {
        let bytes = HTTPResponse(status: 204, body: Array("ignored".utf8)).serialized(headOnly: false, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 204 No Content\r\n\r\n")
    }

    @Test func writerOwnsFramingHeaders() {
        let response = HTTPResponse(
            status: 200,
            headers: HTTPHeaders([
                ("content-length", "99"), ("Connection", "close"), ("Transfer-Encoding", "chunked"), ("X-A", "1"),
            ]),
            body: Array("ab".utf8))
        let bytes = response.serialized(headOnly: false, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nab")
    }

    @Test func lineBreaksInValuesCannotSplitTheResponse() {
        let response = HTTPResponse(status: 200, headers: HTTPHeaders([("X-Device", "1\r\nSet-Cookie: a=b")]))
        let bytes = response.serialized(headOnly: false, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 200 OK\r\nX-Device: 1  Set-Cookie: a=b\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func continueLineIsTheInterimResponse() {
        #expect(text(HTTPResponse.continueLine) == "HTTP/1.1 100 Continue\r\n\r\n")
    }

    @Test(arguments: [
        (100, "Continue"), (200, "OK"), (204, "No Content"), (400, "Bad Request"), (401, "Unauthorized"),
        (403, "Forbidden"), (404, "Not Found"), (405, "Method Not Allowed"), (408, "Request Timeout"),
        (413, "Content Too Large"), (415, "Unsupported Media Type"), (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"), (500, "Internal Server Error"), (501, "Not Implemented"),
        (503, "Service Unavailable"), (505, "HTTP Version Not Supported"), (299, "Success"), (418, "Client Error"),
        (599, "Server Error"), (999, "Unknown"),
    ])
    func reasonPhrases(status: Int, phrase: String) {
        #expect(HTTPResponse.reasonPhrase(status) == phrase)
    }

    @Test func responseParserReadsBackWhatTheWriterWrote() throws {
        let bytes = textResponse.serialized(headOnly: false, keepAlive: false)
        let expected = HTTPResponse(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "text/plain"), ("Content-Length", "5"), ("Connection", "close")]),
            body: Array("hello".utf8))
        #expect(try HTTPResponseParser().parse(bytes) == .response(expected, consumed: bytes.count))
    }

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
