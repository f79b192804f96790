/// One RFC 6455 frame with its payload unmasked: what the parser reads before reassembling messages, and what
/// the server writes.
public struct WebSocketFrame: Sendable, Equatable {
    /// The frame types of RFC 6455 §5.2; any other value is a protocol error.
    public enum Opcode: UInt8, Sendable {
        case continuation = 0x0
        case text = 0x1
        case binary = 0x2
        case close = 0x8
        case ping = 0x9
        case pong = 0xA

        /// Close, ping and pong: at most 125 bytes, never fragmented, allowed between a message's fragments.
        public var isControl: Bool { rawValue & 0x8 != 0 }
    }

    /// Whether this is the last frame of its message.
    public var fin: Bool
    public var opcode: Opcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: Opcode, payload: [UInt8] = []) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    /// The largest payload of a control frame (RFC 6455 §5.5).
    public static let maxControlPayload = 125

    /// A whole text message in one frame, how the server sends every JSON update.
    public static func text(_ text: String) -> WebSocketFrame {
        WebSocketFrame(opcode: .text, payload: Array(text.utf8))
    }

    /// A ping; the client answers with a pong carrying the same bytes.
    public static func ping(_ payload: [UInt8] = []) -> WebSocketFrame {
        WebSocketFrame(opcode: .ping, payload: Array(payload.prefix(maxControlPayload)))
    }

    /// The answer to a client's ping, echoing its payload.
    public static func pong(_ payload: [UInt8] = []) -> WebSocketFrame {
        WebSocketFrame(opcode: .pong, payload: Array(payload.prefix(maxControlPayload)))
    }

    /// A close frame: the code big-endian, then the reason cut at a character boundary so the payload stays within
    /// 125 bytes, since a longer control frame would make the client fail the connection instead of closing it.
    public static func close(code: UInt16, reason: String = "") -> WebSocketFrame {
        var payload = [UInt8(code >> 8), UInt8(truncatingIfNeeded: code)]
        for character in reason {
            guard payload.count + character.utf8.count <= maxControlPayload else { break }
            payload += character.utf8
        }
        return WebSocketFrame(opcode: .close, payload: payload)
    }
}
