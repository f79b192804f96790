/// What a WebSocket client said: a whole message, its fragments already joined, or a control frame.
///
/// The parser hands out messages rather than frames because nothing above it cares how a client split a message,
/// and a caller handed frames would have to repeat the reassembly and UTF-8 rules at every use.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message, checked to be valid UTF-8.
    case text(String)
    case binary([UInt8])
    /// The server answers with `WebSocketFrame.pong` carrying the same bytes.
    case ping([UInt8])
    /// An answer to the server's ping, or an unsolicited heartbeat; either proves the client is alive.
    case pong([UInt8])
    /// The client is closing. `code` is nil when the frame had no payload (RFC 6455's 1005, "no status received");
    /// the server answers with a close frame of its own and then closes the connection.
    case close(code: UInt16?, reason: String)
}
