/// SHA-1 (FIPS 180-4) of a whole message, for the one place a protocol still demands it: the
/// `Sec-WebSocket-Accept` value of the RFC 6455 opening handshake.
///
/// SHA-1 is broken for collisions; nothing in itrack may use it for integrity or secrets (use `SHA256`). It is
/// pure Swift because TrackCore takes no C libraries, and one-shot because the handshake hashes 60 bytes.
public enum SHA1 {
    /// The 20-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
            0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0
        )
        let whole = bytes.count / 64 * 64
        bytes.withUnsafeBytes { compress(&state, blocks: $0.baseAddress, count: whole / 64) }
        // The tail, 0x80, zeros until the last block has 8 bytes left, then the message length in bits, big-endian.
        var tail = Array(bytes[whole...])
        tail.append(0x80)
        tail += [UInt8](repeating: 0, count: (56 + 64 - tail.count % 64) % 64)
        let bits = UInt64(bytes.count) &* 8
        for index in 0..<8 { tail.append(UInt8(truncatingIfNeeded: bits >> (56 - 8 * index))) }
        tail.withUnsafeBytes { compress(&state, blocks: $0.baseAddress, count: tail.count / 64) }
        var digest: [UInt8] = []
        digest.reserveCapacity(20)
        for word in [state.0, state.1, state.2, state.3, state.4] {
            digest += [
                UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16),
                UInt8(truncatingIfNeeded: word >> 8), UInt8(truncatingIfNeeded: word),
            ]
        }
        return digest
    }

    /// Runs the compression function over `count` consecutive 64-byte blocks.
    private static func compress(
        _ state: inout (UInt32, UInt32, UInt32, UInt32, UInt32), blocks: UnsafeRawPointer?, count: Int
    ) {
        guard let blocks, count > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 80) { schedule in
            for block in 0..<count {
                let start = blocks + block * 64
                for index in 0..<16 {
                    schedule[index] = start.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self).bigEndian
                }
                for index in 16..<80 {
                    schedule[index] = rotate(
                        schedule[index - 3] ^ schedule[index - 8] ^ schedule[index - 14] ^ schedule[index - 16], 1)
                }
                var (a, b, c, d, e) = state
                for index in 0..<80 {
                    let (mix, constant): (UInt32, UInt32) =
                        switch index {
                        case 0..<20: ((b & c) | (~b & d), 0x5a82_7999)
                        case 20..<40: (b ^ c ^ d, 0x6ed9_eba1)
                        case 40..<60: ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc)
                        default: (b ^ c ^ d, 0xca62_c1d6)
                        }
                    let temp = rotate(a, 5) &+ mix &+ e &+ constant &+ schedule[index]
                    (e, d, c, b, a) = (d, c, rotate(b, 30), a, temp)
                }
                state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e)
            }
        }
    }

    @inline(__always)
    private static func rotate(_ word: UInt32, _ count: UInt32) -> UInt32 {
        (word &<< count) | (word &>> (32 &- count))
    }
}
