import TrackCore
import TrackZlib

/// Gzips CSV rows into multipart parts of `partSize` bytes and hands each full part to `upload`, keeping the
/// object's SHA-256 as it goes: the archive never holds more than a part and a chunk.
struct PartWriter {
    /// Rows are gathered into chunks this big before compressing: zlib works best on large inputs.
    private static let chunkSize = 256 * 1024

    private let partSize: Int
    private let upload: (Int, [UInt8]) throws -> String
    private var compressor: GzipCompressor
    private var chunk: [UInt8] = []
    private var part: [UInt8] = []
    private var hash = SHA256()
    /// Part numbers and ETags, for completing the upload.
    private(set) var parts: [(Int, String)] = []
    private(set) var compressedBytes: Int64 = 0

    init(partSize: Int, upload: @escaping (Int, [UInt8]) throws -> String) throws {
        self.partSize = partSize
        self.upload = upload
        compressor = try GzipCompressor()
        chunk.reserveCapacity(Self.chunkSize + 64 * 1024)
        part.reserveCapacity(partSize + Self.chunkSize)
    }

    mutating func add(_ row: UnsafeRawBufferPointer) throws {
        chunk.append(contentsOf: row)
        if chunk.count >= Self.chunkSize { try compressChunk() }
    }

    /// Compresses what is left and uploads the last part, which may be small (S3 allows that of the last).
    mutating func finish() throws {
        try compressChunk()
        try compressor.finish(into: &part)
        try uploadPart()
    }

    var sha256: String { SHA256.hex(hash.finalize()) }

    private mutating func compressChunk() throws {
        try compressor.compress(chunk, into: &part)
        chunk.removeAll(keepingCapacity: true)
        if part.count >= partSize { try uploadPart() }
    }

    private mutating func uploadPart() throws {
        let number = parts.count + 1
        parts.append((number, try upload(number, part)))
        hash.update(part)
        compressedBytes += Int64(part.count)
        part.removeAll(keepingCapacity: true)
    }
}
