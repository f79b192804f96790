/// Why the bytes a WebSocket client sent break RFC 6455, carrying the close code the server answers with.
///
/// A value, not a thrown string, so the connection can send the close frame and log the same fault without
/// parsing text. After one, the stream cannot be trusted: send `WebSocketFrame.close(code:reason:)` with these
/// fields and close the connection.
public struct WebSocketError: Error, Sendable, Equatable {
    /// The close codes of RFC 6455 §7.4.1 that a server sends because of what the client sent.
    public enum Code: UInt16, Sendable {
        /// A framing rule was broken: unmasked frame, RSV bit, unknown opcode, bad control frame or fragment order.
        case protocolError = 1002
        /// A text message or a close reason that is not valid UTF-8.
        case invalidPayload = 1007
        /// A frame or reassembled message longer than the parser's limit.
        case messageTooBig = 1009
    }

    public let code: Code
    /// One human line that fits a close frame, such as "unknown opcode 0x3".
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
