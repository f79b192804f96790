import TrackWire

/// What a streamed body's producer writes to: frames the bytes (`HTTPBodyFramer`) and hands each chunk to the
/// connection, after waiting for room (`StreamFlow`). Used from the producer's thread only.
final class StreamedBodyWriter: HTTPBodyWriter {
    private var framer: HTTPBodyFramer
    private let flow: StreamFlow
    private let send: @Sendable ([UInt8]) -> Void

    /// `send` queues wire bytes on the connection; it is called in order, from the producer's thread.
    init(chunked: Bool, flow: StreamFlow, send: @escaping @Sendable ([UInt8]) -> Void) {
        framer = HTTPBodyFramer(chunked: chunked)
        self.flow = flow
        self.send = send
    }

    func write(_ bytes: [UInt8]) throws(HTTPClientGone) {
        guard let wire = framer.append(bytes) else { return }
        try flow.reserve(wire.count)
        send(wire)
    }

    /// Sends what is still gathered and the end of the body.
    func finish() throws(HTTPClientGone) {
        let wire = framer.finish()
        try flow.reserve(wire.count)
        send(wire)
    }
}
