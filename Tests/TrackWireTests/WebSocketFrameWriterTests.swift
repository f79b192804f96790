import Testing
import TrackWire

@Suite struct WebSocketFrameWriterTests {
    /// RFC 6455 §5.7's unmasked examples are exactly what a server sends.
    @Test func writesTheRFCExamples() {
        let hello = Array("Hello".utf8)
        #expect(WebSocketFrame.text("Hello").serialized() == [0x81, 0x05] + hello)
        #expect(WebSocketFrame.ping(hello).serialized() == [0x89, 0x05] + hello)
        #expect(WebSocketFrame.pong(hello).serialized() == [0x8A, 0x05] + hello)
        let first = WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8))
        let last = WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8))
        #expect(first.serialized() + last.serialized() == [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f])
    }

    /// The shortest length form each time: 7 bits to 125, 16 bits to 65535, 64 bits beyond (RFC 6455 §5.2).
    @Test(
        arguments: [
            (0, [0x82, 0x00]), (125, [0x82, 0x7D]), (126, [0x82, 0x7E, 0x00, 0x7E]), (256, [0x82, 0x7E, 0x01, 0x00]),
            (65535, [0x82, 0x7E, 0xFF, 0xFF]), (65536, [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0]),
            (1_000_000, [0x82, 0x7F, 0, 0, 0, 0, 0, 0x0F, 0x42, 0x40]),
        ] as [(Int, [UInt8])])
    func writesTheShortestLength(count: Int, header: [UInt8]) {
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = WebSocketFrame(opcode: .binary, payload: payload).serialized()
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(Array(bytes.dropFirst(header.count)) == payload)
    }

    @Test func writesCloseWithCodeAndReason() {
        #expect(WebSocketFrame.close(code: 1000).serialized() == [0x88, 0x02, 0x03, 0xE8])
        #expect(
            WebSocketFrame.close(code: 1009, reason: "message exceeds 10 bytes").serialized()
                == [0x88, 0x1A, 0x03, 0xF1] + Array("message exceeds 10 bytes".utf8))
    }

    /// 100 "é" are 200 bytes; the reason is cut to the 61 that fit beside the code, never inside a character.
    @Test func cutsALongCloseReasonAtACharacter() {
        let frame = WebSocketFrame.close(code: 1001, reason: String(repeating: "é", count: 100))
        #expect(frame.payload == [0x03, 0xE9] + Array(String(repeating: "é", count: 61).utf8))
        let ascii = WebSocketFrame.close(code: 1001, reason: String(repeating: "a", count: 200))
        #expect(ascii.payload.count == 125)
    }

    @Test func keepsControlPayloadsWithin125Bytes() {
        let long = [UInt8](repeating: 7, count: 200)
        #expect(WebSocketFrame.ping(long) == WebSocketFrame(opcode: .ping, payload: Array(long.prefix(125))))
        #expect(WebSocketFrame.pong(long).serialized() == [0x8A, 0x7D] + long.prefix(125))
        #expect(WebSocketFrame.ping().serialized() == [0x89, 0x00])
    }

    /// What the server writes, masked as a client would send it, reads back as the same message.
    @Test func parserReadsBackWhatTheWriterWrote() throws {
        let frames: [(WebSocketFrame, WebSocketMessage)] = [
            (.text(#"{"positions":[{"id":1,"latitude":52.1}]}"#), .text(#"{"positions":[{"id":1,"latitude":52.1}]}"#)),
            (.text(String(repeating: "ü", count: 40_000)), .text(String(repeating: "ü", count: 40_000))),
            (.ping([1, 2, 3]), .ping([1, 2, 3])), (.pong([]), .pong([])),
            (.close(code: 1001, reason: "server shutting down"), .close(code: 1001, reason: "server shutting down")),
        ]
        for (frame, message) in frames {
            var parser = WebSocketFrameParser(maxMessageBytes: 100_000)
            parser.append(masked(frame.serialized(), key: [0xA1, 0xB2, 0xC3, 0xD4]))
            #expect(try parser.next() == message)
            #expect(try parser.next() == nil)
        }
    }

    /// A server frame turned into the client frame with the same content: mask bit set, key inserted, payload XORed.
    private func masked(_ frame: [UInt8], key: [UInt8]) -> [UInt8] {
        let lengthBytes = [126: 2, 127: 8][Int(frame[1] & 0x7F)] ?? 0
        let headerCount = 2 + lengthBytes
        var out = Array(frame.prefix(headerCount))
        out[1] |= 0x80
        out += key
        out += frame.dropFirst(headerCount).enumerated().map { $0.element ^ key[$0.offset % 4] }
        return out
    }
}
