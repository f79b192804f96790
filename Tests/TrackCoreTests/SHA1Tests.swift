import Foundation
import Testing
import TrackCore

@Suite struct SHA1Tests {
    /// NIST's FIPS 180 examples ("abc", the 448-bit and 896-bit messages), the empty message and the pangram.
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", "a49b2446a02c645bf419f995b67091253a04a259"
        ),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(SHA1.hash(Array(message.utf8))) == digest)
    }

    @Test func aMillionAs() {
        let digest = SHA1.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hex(digest) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func theDigestIsTwentyBytes() {
        let digest = SHA1.hash(Array("abc".utf8))
        #expect(digest.count == 20)
        #expect(digest.prefix(4) == [0xa9, 0x99, 0x3e, 0x36])
    }

    /// Lengths around the padding boundaries, where a second padding block appears, checked against `sha1sum`.
    @Test(arguments: [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100_003])
    func agreesWithSha1sum(length: Int) throws {
        var random = SystemRandomNumberGenerator()
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(SHA256.hex(SHA1.hash(message)) == (try systemDigest("sha1sum", of: message)))
    }
}
