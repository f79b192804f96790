import Testing
import TrackWire

@Suite struct WebSocketFrameParserTests {
    /// RFC 6455 §5.7: "A single-frame masked text message".
    @Test func decodesTheRFCMaskedHello() throws {
        let wire: [UInt8] = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        try expectParsesEveryWay(wire, as: [.text("Hello")])
    }

    /// RFC 6455 §5.7's other examples are unmasked, which is how servers send; from a client each is refused.
    @Test(
        arguments: [
            [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f],  // single-frame unmasked text
            [0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f],  // fragmented unmasked text
            [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f],  // unmasked ping
            [0x82, 0x7E, 0x01, 0x00] + [UInt8](repeating: 0x41, count: 256),  // 256-byte unmasked binary
        ] as [[UInt8]])
    func refusesTheRFCUnmaskedExamples(wire: [UInt8]) {
        expectRejects(wire, WebSocketError(.protocolError, "client frame is not masked"))
    }

    /// The masked pong of RFC 6455 §5.7 ("a response to the ping"), and the ping it answers, masked the same way.
    @Test func decodesPingAndPong() throws {
        let pong: [UInt8] = [0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        let ping: [UInt8] = [0x89, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
        try expectParsesEveryWay(ping + pong, as: [.ping(Array("Hello".utf8)), .pong(Array("Hello".utf8))])
        try expectParsesEveryWay(clientFrame(0x9, []), as: [.ping([])])
        let largest = [UInt8](repeating: 0x5a, count: 125)
        try expectParsesEveryWay(clientFrame(0xA, largest), as: [.pong(largest)])
    }

    /// RFC 6455 §5.7: 256 bytes take the 16-bit length form, 64 KiB the 64-bit form.
    @Test func decodesSixteenAndSixtyFourBitLengths() throws {
        let short = (0..<256).map { UInt8($0) }
        let shortWire = clientFrame(0x2, short)
        #expect(Array(shortWire.prefix(4)) == [0x82, 0xFE, 0x01, 0x00])
        try expectParsesEveryWay(shortWire, as: [.binary(short)])
        let long = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let longWire = clientFrame(0x2, long)
        #expect(Array(longWire.prefix(10)) == [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0])
        try expectParsesEveryWay(longWire, as: [.binary(long)], byteByByte: false)
        #expect(try messages(longWire, chunk: 1) == [.binary(long)])
    }

    @Test func acceptsANonMinimalLengthEncoding() throws {
        let wire = clientFrame(0x1, Array("Hello".utf8), length: .sixteenBit)
        #expect(wire[1] == 0xFE)
        try expectParsesEveryWay(wire, as: [.text("Hello")])
        try expectParsesEveryWay(clientFrame(0x1, Array("Hi".utf8), length: .sixtyFourBit), as: [.text("Hi")])
    }

    @Test func reassemblesFragmentsWithControlFramesBetween() throws {
        let wire =
            clientFrame(0x1, Array("Hel".utf8), fin: false) + clientFrame(0x9, Array("beat".utf8))
            + clientFrame(0x0, [], fin: false) + clientFrame(0xA, []) + clientFrame(0x0, Array("lo".utf8))
        try expectParsesEveryWay(wire, as: [.ping(Array("beat".utf8)), .pong([]), .text("Hello")])
    }

    @Test func reassemblesBinaryAndStartsAfreshAfterwards() throws {
        let wire =
            clientFrame(0x2, [1, 2], fin: false) + clientFrame(0x0, [3], fin: false) + clientFrame(0x0, [4, 5])
            + clientFrame(0x1, Array("next".utf8)) + clientFrame(0x2, [])
        try expectParsesEveryWay(wire, as: [.binary([1, 2, 3, 4, 5]), .text("next"), .binary([])])
    }

    /// "κόσμε" with its second character split between fragments: valid only once joined.
    @Test func validatesUTF8OverTheWholeMessage() throws {
        let bytes = Array("κόσμε".utf8)
        let wire = clientFrame(0x1, Array(bytes[..<3]), fin: false) + clientFrame(0x0, Array(bytes[3...]))
        try expectParsesEveryWay(wire, as: [.text("κόσμε")])
        try expectParsesEveryWay(clientFrame(0x1, []), as: [.text("")])
        try expectParsesEveryWay(clientFrame(0x1, Array("🚗 \u{FEFF}{}".utf8)), as: [.text("🚗 \u{FEFF}{}")])
    }

    @Test func binaryNeedNotBeUTF8() throws {
        let bytes: [UInt8] = [0xFF, 0xC0, 0xED, 0xA0, 0x80]
        try expectParsesEveryWay(clientFrame(0x2, bytes), as: [.binary(bytes)])
    }

    @Test(
        arguments: [
            ([], nil, ""), ([0x03, 0xE8], 1000, ""), ([0x03, 0xE9] + Array("going away".utf8), 1001, "going away"),
            ([0x03, 0xF3] + Array("é".utf8), 1011, "é"), ([0x03, 0xF6], 1014, ""), ([0x0B, 0xB8], 3000, ""),
            ([0x13, 0x87], 4999, ""),
        ] as [([UInt8], UInt16?, String)])
    func decodesClose(payload: [UInt8], code: UInt16?, reason: String) throws {
        try expectParsesEveryWay(clientFrame(0x8, payload), as: [.close(code: code, reason: reason)])
    }

    /// Codes RFC 6455 §7.4 reserves, leaves unassigned or forbids on the wire.
    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] as [UInt16])
    func refusesCloseCodesAPeerMayNotSend(code: UInt16) {
        expectRejects(
            clientFrame(0x8, [UInt8(code >> 8), UInt8(code & 0xFF)]),
            WebSocketError(.protocolError, "close code \(code) is not one a peer may send"))
    }

    @Test(arguments: RejectedFrames.all)
    func refusesWithTheRightCloseCode(_ rejected: RejectedFrames) {
        expectRejects(rejected.wire, rejected.error, limit: rejected.limit)
    }

    /// A 1 GiB length is refused as soon as its header is in, with none of the payload sent.
    @Test func refusesAnOversizedFrameFromItsHeader() throws {
        var parser = WebSocketFrameParser()
        parser.append([0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0])
        #expect(throws: WebSocketError(.messageTooBig, "message exceeds 65536 bytes")) { try parser.next() }
        var exact = WebSocketFrameParser(maxMessageBytes: 65536)
        exact.append([0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4])
        #expect(try exact.next() == nil)
    }

    @Test func keepsThrowingAfterAnError() throws {
        var parser = WebSocketFrameParser()
        parser.append([0x81, 0x05] + Array("Hello".utf8))
        let error = WebSocketError(.protocolError, "client frame is not masked")
        #expect(throws: error) { try parser.next() }
        parser.append(clientFrame(0x1, Array("ok".utf8)))
        #expect(throws: error) { try parser.next() }
    }

    @Test func returnsNilUntilTheLastByteAndKeepsTheRest() throws {
        var parser = WebSocketFrameParser()
        let first = clientFrame(0x1, Array("one".utf8))
        let second = clientFrame(0x1, Array("two".utf8))
        parser.append(first + second.prefix(4))
        #expect(try parser.next() == .text("one"))
        #expect(try parser.next() == nil)
        parser.append(second.dropFirst(4))
        #expect(try parser.next() == .text("two"))
        #expect(try parser.next() == nil)
    }

    /// Every payload length from 0 to 40 and a few keys, so the word-at-a-time path and the byte tail both run.
    @Test func unmasksEveryLengthAndKey() throws {
        for key: [UInt8] in [[0, 0, 0, 0], [0xFF, 0x00, 0xA5, 0x5A], [0x01, 0x02, 0x03, 0x04]] {
            for length in 0...40 {
                let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
                #expect(try messages(clientFrame(0x2, payload, key: key)) == [.binary(payload)], "\(length) \(key)")
            }
        }
    }
}

/// Client frames the parser must refuse, with the error (close code and reason) it throws.
struct RejectedFrames: Sendable, CustomTestStringConvertible {
    let name: String
    let wire: [UInt8]
    let error: WebSocketError
    var limit = 65536

    var testDescription: String { name }

    private static let notUTF8 = WebSocketError(.invalidPayload, "text message is not valid UTF-8")

    static let all: [RejectedFrames] = listed + unknownOpcodes

    private static let unknownOpcodes: [RejectedFrames] = [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF].map { opcode in
        .init(
            name: "opcode \(opcode)", wire: clientFrame(opcode, []),
            error: WebSocketError(.protocolError, "unknown opcode 0x\(String(opcode, radix: 16))"))
    }

    private static let listed: [RejectedFrames] = [
        .init(name: "RSV1", wire: clientFrame(0x1, [], rsv: 0x40), error: reserved),
        .init(name: "RSV2", wire: clientFrame(0x1, [], rsv: 0x20), error: reserved),
        .init(name: "RSV3 on a ping", wire: clientFrame(0x9, [], rsv: 0x10), error: reserved),
        .init(
            name: "fragmented ping", wire: clientFrame(0x9, [], fin: false),
            error: WebSocketError(.protocolError, "fragmented control frame")),
        .init(
            name: "close in the 64-bit form", wire: clientFrame(0x8, [0x03, 0xE8], length: .sixtyFourBit),
            error: WebSocketError(.protocolError, "control frame longer than 125 bytes")),
        .init(
            name: "126-byte ping in the 16-bit form", wire: clientFrame(0x9, [UInt8](repeating: 0, count: 126)),
            error: WebSocketError(.protocolError, "control frame longer than 125 bytes")),
        .init(
            name: "64-bit length with the top bit set", wire: [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 5],
            error: WebSocketError(.protocolError, "64-bit length has its top bit set")),
        .init(
            name: "continuation first", wire: clientFrame(0x0, Array("lo".utf8)),
            error: WebSocketError(.protocolError, "continuation frame without a message to continue")),
        .init(
            name: "text inside a fragmented message",
            wire: clientFrame(0x1, Array("Hel".utf8), fin: false) + clientFrame(0x1, Array("lo".utf8)),
            error: WebSocketError(.protocolError, "new message before the fragmented one was finished")),
        .init(
            name: "continuation after the message ended",
            wire: clientFrame(0x2, [1], fin: false) + clientFrame(0x0, [2]) + clientFrame(0x0, [3]),
            error: WebSocketError(.protocolError, "continuation frame without a message to continue")),
        .init(
            name: "close with a 1-byte payload", wire: clientFrame(0x8, [0x03]),
            error: WebSocketError(.protocolError, "close frame with a 1-byte payload")),
        .init(
            name: "close reason not UTF-8", wire: clientFrame(0x8, [0x03, 0xE8, 0xCE, 0xBA, 0xE1, 0xBD]),
            error: WebSocketError(.invalidPayload, "close reason is not valid UTF-8")),
        .init(name: "stray continuation byte", wire: clientFrame(0x1, [0x41, 0x80]), error: notUTF8),
        .init(name: "overlong slash", wire: clientFrame(0x1, [0xC0, 0xAF]), error: notUTF8),
        .init(name: "UTF-16 surrogate", wire: clientFrame(0x1, [0xED, 0xA0, 0x80]), error: notUTF8),
        .init(name: "beyond U+10FFFF", wire: clientFrame(0x1, [0xF4, 0x90, 0x80, 0x80]), error: notUTF8),
        .init(name: "0xFF", wire: clientFrame(0x1, [0xFF]), error: notUTF8),
        .init(name: "truncated emoji", wire: clientFrame(0x1, [0xF0, 0x9F, 0x98]), error: notUTF8),
        .init(
            name: "truncated across fragments",
            wire: clientFrame(0x1, [0x61, 0xF0, 0x9F], fin: false) + clientFrame(0x0, [0x98]), error: notUTF8),
        .init(
            name: "one byte over the limit", wire: clientFrame(0x1, Array("hello world".utf8)),
            error: WebSocketError(.messageTooBig, "message exceeds 10 bytes"), limit: 10),
        .init(
            name: "fragments over the limit",
            wire: clientFrame(0x2, [UInt8](repeating: 1, count: 6), fin: false) + clientFrame(0x9, [])
                + clientFrame(0x0, [UInt8](repeating: 2, count: 5)),
            error: WebSocketError(.messageTooBig, "message exceeds 10 bytes"), limit: 10),
    ]

    private static let reserved = WebSocketError(.protocolError, "reserved bits set without a negotiated extension")
}

/// How a test frame states its payload length: the shortest form, or a longer one than needed.
enum LengthForm {
    case shortest, sixteenBit, sixtyFourBit
}

/// A client frame built byte by byte from RFC 6455 §5.2, independent of the server's writer.
func clientFrame(
    _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, key: [UInt8] = [0x37, 0xfa, 0x21, 0x3d],
    length: LengthForm = .shortest
) -> [UInt8] {
    var wire: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
    switch (length, payload.count) {
    case (.shortest, ..<126):
        wire.append(0x80 | UInt8(payload.count))
    case (.shortest, ...0xFFFF), (.sixteenBit, _):
        wire += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    default:
        wire.append(0x80 | 127)
        wire += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (56 - 8 * $0)) }
    }
    wire += key
    wire += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    return wire
}

/// Every message in `wire`, fed in chunks of `chunk` bytes and drained after each.
func messages(_ wire: [UInt8], chunk: Int? = nil, limit: Int = 65536) throws(WebSocketError) -> [WebSocketMessage] {
    var parser = WebSocketFrameParser(maxMessageBytes: limit)
    var found: [WebSocketMessage] = []
    var offset = 0
    repeat {
        let end = min(wire.count, offset + (chunk ?? wire.count))
        parser.append(wire[offset..<end])
        offset = end
        while let message = try parser.next() { found.append(message) }
    } while offset < wire.count
    return found
}

/// The contract the connection relies on: the same messages whether the bytes arrive whole, one at a time, in
/// uneven chunks, or twice back to back.
func expectParsesEveryWay(_ wire: [UInt8], as expected: [WebSocketMessage], byteByByte: Bool = true) throws {
    #expect(try messages(wire) == expected)
    for chunk in (byteByByte ? [1] : []) + [2, 3, 7, 13] {
        #expect(try messages(wire, chunk: chunk) == expected, "chunks of \(chunk)")
    }
    #expect(try messages(wire + wire, chunk: 5) == expected + expected)
}

/// The error `wire` must raise, whole and byte by byte, with a parser limited to `limit` bytes.
func expectRejects(_ wire: [UInt8], _ error: WebSocketError, limit: Int = 65536) {
    #expect(throws: error) { try messages(wire, limit: limit) }
    #expect(throws: error) { try messages(wire, chunk: 1, limit: limit) }
}
