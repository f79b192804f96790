/// Turns a streamed body's writes into wire bytes, gathering small writes into chunks of at least `chunkSize`.
///
/// HTTP/1.1 gets chunked coding (RFC 9112 §7.1), whose last chunk is what tells the client that the body is
/// complete. HTTP/1.0 knows no chunking: there the bytes go out as they are and the body ends when the server closes
/// the connection.
public struct HTTPBodyFramer: Sendable {
    public let chunked: Bool
    public let chunkSize: Int
    private var pending: [UInt8] = []

    public init(chunked: Bool, chunkSize: Int = 32768) {
        precondition(chunkSize > 0, "a chunk holds at least one byte")
        self.chunked = chunked
        self.chunkSize = chunkSize
    }

    /// Adds `bytes`; returns what to send once `chunkSize` or more are gathered, nil while fewer are.
    public mutating func append(_ bytes: [UInt8]) -> [UInt8]? {
        pending.append(contentsOf: bytes)
        guard pending.count >= chunkSize else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        return frame(pending)
    }

    /// What is still gathered, then (when chunked) the last chunk: the end of the body.
    public mutating func finish() -> [UInt8] {
        var out = frame(pending)
        pending = []
        if chunked { out.append(contentsOf: Self.lastChunk) }
        return out
    }

    /// One chunk: the size in hex, CRLF, the bytes, CRLF. No bytes give no chunk, since a chunk of size zero is the
    /// last one.
    public static func chunk(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        var out = Array(String(bytes.count, radix: 16).utf8)
        out.reserveCapacity(out.count + bytes.count + 4)
        out.append(contentsOf: [.cr, .lf])
        out.append(contentsOf: bytes)
        out.append(contentsOf: [.cr, .lf])
        return out
    }

    /// The zero-size chunk with no trailer fields that ends a chunked body.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private func frame(_ bytes: [UInt8]) -> [UInt8] {
        chunked ? Self.chunk(bytes) : bytes
    }
}
