extension WebSocketFrame {
    /// The frame as server-to-client bytes, ready to write to the socket.
    ///
    /// Unmasked, as RFC 6455 §5.1 requires of a server (a client fails the connection on a masked frame), with
    /// no RSV bits, and the length in the shortest of the 7-, 16- and 64-bit forms, which §5.2 requires.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(10 + payload.count)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        switch payload.count {
        case ..<126:
            out.append(UInt8(payload.count))
        case ...0xFFFF:
            out += [126, UInt8(payload.count >> 8), UInt8(truncatingIfNeeded: payload.count)]
        default:
            out.append(127)
            let length = UInt64(payload.count)
            for index in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> (56 - 8 * index))) }
        }
        out += payload
        return out
    }
}
