/// A response body made while it is sent, for answers too large to hold in memory (a device's track as a file).
///
/// The contract the server keeps: the head goes out first (`Transfer-Encoding: chunked` for HTTP/1.1; for HTTP/1.0
/// no framing and the connection closes after the body); then `produce` runs on a thread of its own, where it may
/// block (on a database, say). Each `write` may wait until the client has read most of what came before, so a
/// stream never queues more than a few hundred KB, and throws `HTTPClientGone` once the connection has closed: the
/// producer should then return, releasing what it holds. When `produce` returns, the body is completed (the last
/// chunk) and the connection serves its next request; when it throws, the connection is closed without the last
/// chunk, so the client sees a truncated transfer rather than a complete-looking file. For HEAD it is not run.
public final class HTTPStreamedBody: Sendable {
    public let produce: @Sendable (any HTTPBodyWriter) throws -> Void

    public init(_ produce: @escaping @Sendable (any HTTPBodyWriter) throws -> Void) {
        self.produce = produce
    }

    /// Runs the producer into memory and returns the whole body: for tests that call a handler without a socket.
    public func collect() throws -> [UInt8] {
        let writer = CollectingWriter()
        try produce(writer)
        return writer.bytes
    }
}

extension HTTPStreamedBody: Equatable {
    /// The same producer, not the same bytes: a body that is not made yet cannot be compared.
    public static func == (lhs: HTTPStreamedBody, rhs: HTTPStreamedBody) -> Bool { lhs === rhs }
}

/// Where a streamed body's producer writes, from its own thread.
public protocol HTTPBodyWriter: AnyObject {
    /// Adds `bytes` to the body, waiting while too much is unsent; throws once the client has gone.
    func write(_ bytes: [UInt8]) throws(HTTPClientGone)
}

extension HTTPBodyWriter {
    /// Adds `text` as UTF-8.
    public func write(_ text: String) throws(HTTPClientGone) {
        try write(Array(text.utf8))
    }
}

/// Thrown by `HTTPBodyWriter.write` once the connection it wrote to has closed.
public struct HTTPClientGone: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "the client closed the connection before the body was complete" }
}

private final class CollectingWriter: HTTPBodyWriter {
    var bytes: [UInt8] = []

    func write(_ bytes: [UInt8]) throws(HTTPClientGone) {
        self.bytes.append(contentsOf: bytes)
    }
}
