internal import CZlib

/// Decompresses whole gzip files in memory, to check what `GzipCompressor` wrote.
public enum GzipDecompressor {
    /// The concatenation of every gzip member in `data`, as `gzip -dc` gives it.
    /// - Throws: `ZlibError` with zlib's message when a member is corrupt (`.dataError`, e.g. "incorrect header
    ///   check" for bytes that are not gzip), or `.bufferError` when `data` is empty or ends inside a member.
    ///   The context names the member and the input byte it starts at.
    public static func decompress(_ data: [UInt8]) throws(ZlibError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())  // zalloc, zfree and opaque nil: zlib's malloc and free
        defer { stream.deallocate() }
        let started = itrack_inflate_init_gzip(stream)
        guard started == Z_OK else { throw ZlibError(started, stream: stream, context: "start gzip decompression") }
        defer { inflateEnd(stream) }
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)
        defer { scratch.deallocate() }
        return try data.withUnsafeBytes { input in
            Result { () throws(ZlibError) in try inflateMembers(input, stream: stream, scratch: scratch) }
        }.get()
    }

    /// Inflates `input` member after member through `scratch` until it is used up at the end of a member.
    private static func inflateMembers(
        _ input: UnsafeRawBufferPointer, stream: UnsafeMutablePointer<z_stream>,
        scratch: UnsafeMutableBufferPointer<UInt8>
    ) throws(ZlibError) -> [UInt8] {
        var output: [UInt8] = []
        var member = 1
        var memberStart = 0
        var consumed = 0
        repeat {
            // avail_in is 32 bits wide: hand over larger inputs in pieces.
            let piece = min(input.count - consumed, Int(UInt32.max))
            // zlib's next_in is not const, but inflate never writes through it.
            stream.pointee.next_in = piece == 0 ? nil : UnsafeMutablePointer(
                mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + consumed)
            stream.pointee.avail_in = UInt32(piece)
            stream.pointee.next_out = scratch.baseAddress
            stream.pointee.avail_out = UInt32(scratch.count)
            var result = inflate(stream, Z_NO_FLUSH)
            consumed += piece - Int(stream.pointee.avail_in)
            let produced = scratch.count - Int(stream.pointee.avail_out)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<produced]))
            if result == Z_STREAM_END {
                // A gzip file may hold several members one after another: start over on the next one.
                member += 1
                memberStart = consumed
                result = inflateReset(stream)
            }
            guard result == Z_OK else {
                // Z_BUF_ERROR: no progress although there was room to write, so the input ends inside the member.
                let ending = result == Z_BUF_ERROR ? " (the input ends inside it)" : ""
                throw ZlibError(
                    result, stream: stream, context: "decompress gzip member \(member) at input byte \(memberStart)"
                        + ending)
            }
        } while consumed < input.count || memberStart < consumed
        stream.pointee.next_in = nil  // keep no pointer into the caller's buffer
        return output
    }
}
