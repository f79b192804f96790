#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Synchronization

/// Where a log handler's lines go. A line is handed over whole, in one call, so that lines from
/// concurrent loggers never interleave.
public enum LogSink: Sendable {
    /// A descriptor that stays open for the life of the process, such as stdout or stderr.
    case fileDescriptor(Int32)
    /// Lines kept in memory, so tests can read back exactly what was logged.
    case memory(MemoryLogSink)

    public static let standardOutput = LogSink.fileDescriptor(STDOUT_FILENO)
    public static let standardError = LogSink.fileDescriptor(STDERR_FILENO)

    /// Held for a whole line: the kernel may take a line in pieces (a full pipe, a signal), and no
    /// other thread's line may land between those pieces.
    private static let descriptorLock = Mutex(())

    /// `line` must be one complete log line, newline included.
    func write(_ line: [UInt8]) {
        switch self {
        case .fileDescriptor(let descriptor):
            Self.descriptorLock.withLock { _ in
                line.withUnsafeBytes { writeAll($0, to: descriptor) }
            }
        case .memory(let sink):
            sink.append(line)
        }
    }
}

/// Gives up on any error but EINTR: no log line is worth crashing or stalling the server for.
/// A free function so that `write` means the system call, not `LogSink.write`.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
    var rest = bytes
    while !rest.isEmpty {
        let written = write(descriptor, rest.baseAddress, rest.count)
        if written > 0 {
            rest = UnsafeRawBufferPointer(rebasing: rest[written...])
        } else if written == 0 || errno != EINTR {
            return
        }
    }
}
