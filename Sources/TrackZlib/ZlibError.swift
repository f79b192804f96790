internal import CZlib

/// A zlib failure: its return code, zlib's own message, and what itrack was doing.
public struct ZlibError: Error, Sendable, Equatable, CustomStringConvertible {
    /// zlib's return code (`Z_DATA_ERROR`, `Z_STREAM_ERROR`, …).
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The input is not a valid gzip stream (bad header, corrupt data, wrong CRC or length).
        public static let dataError = Code(rawValue: Z_DATA_ERROR)
        /// A bad argument (e.g. a level outside 0…9), or a stream used after it was finished.
        public static let streamError = Code(rawValue: Z_STREAM_ERROR)
        /// zlib could not allocate its state.
        public static let memoryError = Code(rawValue: Z_MEM_ERROR)
        /// No progress was possible: for a decompressor, the input ended inside a gzip member.
        public static let bufferError = Code(rawValue: Z_BUF_ERROR)

        /// zlib's text for the code (`zError`), e.g. "data error".
        public var description: String { String(cString: zError(rawValue)) }
    }

    public let code: Code
    /// zlib's message for this failure (`z_stream.msg`, e.g. "incorrect header check"), or its text for the
    /// code when zlib left no message.
    public let message: String
    /// What itrack was doing, e.g. "decompress gzip member 2 at input byte 41".
    public let context: String

    public init(code: Code, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// The error for `result`, a code `stream` just returned, with the message zlib left in the stream.
    init(_ result: Int32, stream: UnsafePointer<z_stream>, context: String) {
        let code = Code(rawValue: result)
        self.init(code: code, message: stream.pointee.msg.map { String(cString: $0) } ?? code.description,
                  context: context)
    }

    public var description: String {
        "\(context): \(message) (\(code))"
    }
}
