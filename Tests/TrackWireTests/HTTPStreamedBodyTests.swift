import Testing
import TrackWire

/// A streamed body on the wire: its head, its chunks and its end, read back with the client parser.
@Suite struct HTTPStreamedBodyTests {
    let csv = HTTPResponse(
        status: 200, headers: HTTPHeaders([("Content-Type", "text/csv"), ("Content-Length", "99")]),
        stream: HTTPStreamedBody { writer in
            try writer.write("id,lat\r\n")
            for id in 1...3 { try writer.write("\(id),52.\(id)\r\n") }
        })

    @Test func aChunkIsItsHexSizeTheBytesAndLineEnds() {
        #expect(text(HTTPBodyFramer.chunk(Array("hello".utf8))) == "5\r\nhello\r\n")
        let big = HTTPBodyFramer.chunk([UInt8](repeating: 0x61, count: 4010))
        #expect(text(Array(big.prefix(5))) == "faa\r\n" && big.count == 5 + 4010 + 2)
        #expect(HTTPBodyFramer.chunk([]).isEmpty, "a chunk of size zero would end the body")
        #expect(text(HTTPBodyFramer.lastChunk) == "0\r\n\r\n")
    }

    @Test func smallWritesAreGatheredIntoChunksOfTheChosenSize() {
        var framer = HTTPBodyFramer(chunked: true, chunkSize: 8)
        #expect(framer.append(Array("abc".utf8)) == nil)
        #expect(framer.append(Array("defg".utf8)) == nil)
        #expect(framer.append(Array("hij".utf8)).map(text) == "a\r\nabcdefghij\r\n")
        #expect(framer.append([]) == nil)
        #expect(framer.append(Array("k".utf8)) == nil)
        #expect(text(framer.finish()) == "1\r\nk\r\n0\r\n\r\n")
    }

    @Test func anEmptyBodyIsJustTheLastChunk() {
        var framer = HTTPBodyFramer(chunked: true)
        #expect(text(framer.finish()) == "0\r\n\r\n")
    }

    @Test func http10GetsTheBytesAsTheyAreAndNoEndMarker() {
        var framer = HTTPBodyFramer(chunked: false, chunkSize: 4)
        #expect(framer.append(Array("ab".utf8)) == nil)
        #expect(framer.append(Array("cde".utf8)).map(text) == "abcde")
        #expect(framer.append(Array("f".utf8)) == nil)
        #expect(text(framer.finish()) == "f")
    }

    @Test func theHeadSaysChunkedAndReplacesTheHandlersFraming() {
        #expect(text(csv.serializedStreamHead(keepAlive: true, chunked: true))
                == "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(text(csv.serializedStreamHead(keepAlive: false, chunked: true))
                == "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n")
    }

    @Test func anHTTP10HeadHasNoFramingAndClosesTheConnection() {
        #expect(text(csv.serializedStreamHead(keepAlive: true, chunked: false))
                == "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n")
    }

    @Test func theClientParserReadsTheStreamBackEveryWay() throws {
        let body = try #require(csv.stream)
        let expectedBody = Array("id,lat\r\n1,52.1\r\n2,52.2\r\n3,52.3\r\n".utf8)
        #expect(try body.collect() == expectedBody)
        let expected = HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", "text/csv"), ("Transfer-Encoding", "chunked")]),
            body: expectedBody)
        for chunkSize in [1, 5, 1 << 15] {
            let wire = try self.wire(csv, chunkSize: chunkSize)
            let parser = HTTPResponseParser()
            #expect(try parser.parse(wire) == .response(expected, consumed: wire.count))
            for end in 0..<wire.count {
                #expect(try parser.parse(wire[..<end]) == .incomplete, "a prefix is never a complete response")
            }
            let twice = wire + wire
            #expect(try parser.parse(twice) == .response(expected, consumed: wire.count),
                    "the last chunk ends the body exactly, so a kept-alive connection's next answer starts after it")
        }
    }

    @Test func aBodyCutShortBeforeTheLastChunkNeverLooksComplete() throws {
        let wire = try self.wire(csv, chunkSize: 5)
        let truncated = wire.dropLast(HTTPBodyFramer.lastChunk.count)
        #expect(try HTTPResponseParser().parse(Array(truncated)) == .incomplete)
    }

    @Test func aHeadAnswerIsTheHeadAlone() throws {
        let head = csv.serializedStreamHead(keepAlive: true, chunked: true)
        guard case .response(let response, let consumed) = try HTTPResponseParser().parse(head, bodyless: true) else {
            Issue.record("the head alone is a complete HEAD answer")
            return
        }
        #expect(consumed == head.count && response.body.isEmpty && response.headers["Transfer-Encoding"] == "chunked")
    }

    @Test func aCollectedProducerErrorReachesTheCaller() {
        struct Broken: Error {}
        let body = HTTPStreamedBody { writer in
            try writer.write("partial")
            throw Broken()
        }
        #expect(throws: Broken.self) { try body.collect() }
    }

    /// The head and the body as the server sends them, framed in chunks of `chunkSize`.
    private func wire(_ response: HTTPResponse, chunkSize: Int) throws -> [UInt8] {
        var framer = HTTPBodyFramer(chunked: true, chunkSize: chunkSize)
        var out = response.serializedStreamHead(keepAlive: true, chunked: true)
        for byte in try #require(response.stream).collect() {
            if let chunk = framer.append([byte]) { out += chunk }
        }
        return out + framer.finish()
    }

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
