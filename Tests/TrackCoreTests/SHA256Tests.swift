import Foundation
import Testing
import TrackCore

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples (NIST's "SHA256.pdf" and the long-message vector).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func aMillionAs() {
        let digest = SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hex(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func theDigestIsThirtyTwoBytes() {
        let digest = SHA256.hash(Array("abc".utf8))
        #expect(digest.count == 32)
        #expect(digest.prefix(4) == [0xba, 0x78, 0x16, 0xbf])
    }

    @Test func piecesAcrossBlockBoundariesHashLikeTheWhole() {
        var random = SystemRandomNumberGenerator()
        let message = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let whole = SHA256.hash(message)
        for sizes in [[1], [55], [56], [63], [64], [65], [127, 1], [3, 61, 64, 129], [4096]] {
            var hasher = SHA256()
            var offset = 0
            var turn = 0
            while offset < message.count {
                let size = min(sizes[turn % sizes.count], message.count - offset)
                message[offset..<offset + size].withUnsafeBytes { hasher.update($0) }
                offset += size
                turn += 1
            }
            #expect(hasher.finalize() == whole, "pieces of \(sizes)")
        }
    }

    @Test func finalizingLeavesTheHasherGoing() {
        var hasher = SHA256()
        hasher.update(Array("ab".utf8))
        #expect(SHA256.hex(hasher.finalize()) == "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603")
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test func emptyUpdatesChangeNothing() {
        var hasher = SHA256()
        hasher.update([])
        hasher.update(UnsafeRawBufferPointer(start: nil, count: 0))
        hasher.update(Array("abc".utf8))
        hasher.update([])
        #expect(hasher.finalize() == SHA256.hash(Array("abc".utf8)))
    }

    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 1_048_583])
    func agreesWithSha256sum(length: Int) throws {
        var random = SystemRandomNumberGenerator()
        let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(SHA256.hex(SHA256.hash(message)) == (try systemDigest("sha256sum", of: message)))
    }

    @Test func hexIsLowercaseAndPadded() {
        #expect(SHA256.hex([0x00, 0x0a, 0xff, 0x10]) == "000aff10")
        #expect(SHA256.hex([]) == "")
    }
}
