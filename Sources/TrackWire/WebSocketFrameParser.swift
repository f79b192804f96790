/// Decodes what a WebSocket client sends (RFC 6455 §5) into messages, from byte chunks of any size.
///
/// The connection appends every read and then calls `next()` until it returns nil. A frame is consumed only once
/// all of it has arrived, so chunk boundaries never change the result; but every rule the header alone can break
/// (masking, RSV bits, opcode, control-frame shape, fragment order, size) is checked as soon as the header is in,
/// so an oversized frame is refused before its payload is buffered. No extension is ever negotiated, so any RSV bit
/// is an error. A non-minimal length encoding is accepted: it costs nothing and rejecting it protects nothing.
///
/// A fragmented text message is checked for UTF-8 once whole, which RFC 6455 §8.1 allows; the limit keeps the
/// cost of that bounded. After an error the stream cannot be resynchronised: every later call throws it again.
public struct WebSocketFrameParser: Sendable {
    /// The largest text or binary message, counted over all its fragments; more is refused with 1009. Control
    /// frames have their own limit of 125 bytes.
    public let maxMessageBytes: Int

    /// Received bytes; the first `consumed` of them belong to frames already returned.
    private var buffer: [UInt8] = []
    private var consumed = 0
    /// `.text` or `.binary` while a fragmented message is open, nil between messages.
    private var openMessage: WebSocketFrame.Opcode?
    /// The payload of the open message so far.
    private var fragments: [UInt8] = []
    private var failure: WebSocketError?

    /// 64 KiB by default: the Traccar web app only ever sends `{"logs":true}`, and the limit bounds what one
    /// connection can make the server hold.
    public init(maxMessageBytes: Int = 65536) {
        precondition(maxMessageBytes >= 0, "the WebSocket message limit cannot be negative")
        self.maxMessageBytes = maxMessageBytes
    }

    /// Adds bytes read from the connection.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        // Called after `next()` returned nil, so what is left is at most one partial frame: cheap to move.
        if consumed > 0 {
            buffer.removeSubrange(0..<consumed)
            consumed = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil until more bytes arrive; throws when the client broke the protocol.
    public mutating func next() throws(WebSocketError) -> WebSocketMessage? {
        if let failure { throw failure }
        do throws(WebSocketError) {
            while let frame = try nextFrame() {
                if let message = try assemble(frame) { return message }
            }
            return nil
        } catch {
            failure = error
            throw error
        }
    }

    /// The next whole frame, unmasked, or nil when it has not all arrived.
    private mutating func nextFrame() throws(WebSocketError) -> WebSocketFrame? {
        let available = buffer.count - consumed
        guard available >= 2 else { return nil }
        let first = buffer[consumed]
        let second = buffer[consumed + 1]
        guard first & 0x70 == 0 else {
            throw WebSocketError(.protocolError, "reserved bits set without a negotiated extension")
        }
        guard let opcode = WebSocketFrame.Opcode(rawValue: first & 0x0F) else {
            throw WebSocketError(.protocolError, "unknown opcode 0x\(String(first & 0x0F, radix: 16))")
        }
        let fin = first & 0x80 != 0
        guard second & 0x80 != 0 else { throw WebSocketError(.protocolError, "client frame is not masked") }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl {
            guard fin else { throw WebSocketError(.protocolError, "fragmented control frame") }
            guard shortLength <= WebSocketFrame.maxControlPayload else {
                throw WebSocketError(.protocolError, "control frame longer than 125 bytes")
            }
        }
        guard let (length, lengthBytes) = try payloadLength(shortLength, available: available) else { return nil }
        if !opcode.isControl { try checkOrder(opcode, length: length) }
        let payloadStart = consumed + 2 + lengthBytes + 4
        guard buffer.count - payloadStart >= length else { return nil }
        let payload = buffer.withUnsafeBytes { raw in
            Self.unmask(
                UnsafeRawBufferPointer(rebasing: raw[payloadStart..<payloadStart + length]),
                key: raw.baseAddress! + payloadStart - 4)
        }
        consumed = payloadStart + length
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }

    /// The payload length and how many extended-length bytes carried it, or nil until those bytes are in.
    private func payloadLength(_ shortLength: Int, available: Int) throws(WebSocketError) -> (Int, Int)? {
        switch shortLength {
        case 126:
            guard available >= 4 else { return nil }
            return (Int(buffer[consumed + 2]) << 8 | Int(buffer[consumed + 3]), 2)
        case 127:
            guard available >= 10 else { return nil }
            let length = buffer[consumed + 2..<consumed + 10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard length >> 63 == 0 else { throw WebSocketError(.protocolError, "64-bit length has its top bit set") }
            return (Int(length), 8)
        default:
            return (shortLength, 0)
        }
    }

    /// Refuses a data frame that does not fit the open message, or would take it past the size limit.
    private func checkOrder(_ opcode: WebSocketFrame.Opcode, length: Int) throws(WebSocketError) {
        if opcode == .continuation {
            guard openMessage != nil else {
                throw WebSocketError(.protocolError, "continuation frame without a message to continue")
            }
        } else if openMessage != nil {
            throw WebSocketError(.protocolError, "new message before the fragmented one was finished")
        }
        // Subtracting, because a 63-bit length added to anything could overflow.
        guard length <= maxMessageBytes - fragments.count else {
            throw WebSocketError(.messageTooBig, "message exceeds \(maxMessageBytes) bytes")
        }
    }

    /// The message `frame` completes, or nil when it opens or continues a fragmented one.
    private mutating func assemble(_ frame: WebSocketFrame) throws(WebSocketError) -> WebSocketMessage? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try Self.close(frame.payload)
        case .text, .binary:
            guard !frame.fin else { return try Self.message(frame.opcode, frame.payload) }
            openMessage = frame.opcode
            fragments = frame.payload
            return nil
        case .continuation:
            fragments += frame.payload
            guard frame.fin, let opcode = openMessage else { return nil }
            let payload = fragments
            openMessage = nil
            fragments = []
            return try Self.message(opcode, payload)
        }
    }

    private static func message(_ opcode: WebSocketFrame.Opcode, _ payload: [UInt8]) throws(WebSocketError)
        -> WebSocketMessage
    {
        guard opcode == .text else { return .binary(payload) }
        guard let text = validUTF8(payload) else {
            throw WebSocketError(.invalidPayload, "text message is not valid UTF-8")
        }
        return .text(text)
    }

    /// A close frame's payload: empty, or a code a peer may send (RFC 6455 §7.4, IANA registry) and a UTF-8 reason.
    private static func close(_ payload: [UInt8]) throws(WebSocketError) -> WebSocketMessage {
        guard !payload.isEmpty else { return .close(code: nil, reason: "") }
        guard payload.count >= 2 else { throw WebSocketError(.protocolError, "close frame with a 1-byte payload") }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: break
        default: throw WebSocketError(.protocolError, "close code \(code) is not one a peer may send")
        }
        guard let reason = validUTF8(payload[2...]) else {
            throw WebSocketError(.invalidPayload, "close reason is not valid UTF-8")
        }
        return .close(code: code, reason: reason)
    }

    /// `bytes` as a string, or nil when they are not valid UTF-8.
    ///
    /// Decoding repairs bad input with U+FFFD, and a repair can never reproduce the bytes it replaced (they would
    /// have been valid), so the decoded string equals the input exactly when the input was valid. This keeps the
    /// stdlib's fast validator without `String(validating:)`, which needs macOS 15.
    private static func validUTF8(_ bytes: some Collection<UInt8>) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// The payload XORed with the 4-byte masking key, eight bytes at a time.
    private static func unmask(_ masked: UnsafeRawBufferPointer, key: UnsafeRawPointer) -> [UInt8] {
        guard let source = masked.baseAddress, !masked.isEmpty else { return [] }
        let keyWord = key.loadUnaligned(as: UInt32.self)
        // Both halves are the key in memory order, so the XOR lines up whatever the machine's byte order.
        let wideKey = UInt64(keyWord) | UInt64(keyWord) << 32
        return [UInt8](unsafeUninitializedCapacity: masked.count) { out, initialized in
            let target = UnsafeMutableRawPointer(out.baseAddress!)
            var index = 0
            while index + 8 <= masked.count {
                let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                target.storeBytes(of: word ^ wideKey, toByteOffset: index, as: UInt64.self)
                index += 8
            }
            while index < masked.count {
                out[index] = masked[index] ^ key.load(fromByteOffset: index & 3, as: UInt8.self)
                index += 1
            }
            initialized = masked.count
        }
    }
}
