import Foundation
import TrackWire

/// A blocking loopback HTTP client that sends bytes exactly as given, so tests can send
/// malformed, pipelined, chunked or half-finished requests.
public final class RawHTTPClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(port: UInt16, timeout: TimeInterval = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ServerError(message: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            guard count > 0 else { throw ServerError(message: "send failed: errno \(errno)") }
            offset += count
        }
    }

    /// Half-closes the sending side, as a client that is done talking does.
    public func finishSending() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads the next response; nil when the server closed the connection first.
    public func readResponse(bodyless: Bool = false) throws -> HTTPResponse? {
        let parser = HTTPResponseParser()
        while true {
            if case .response(let response, let consumed) = try parser.parse(buffer, bodyless: bodyless) {
                buffer.removeFirst(consumed)
                return response
            }
            var chunk = [UInt8](repeating: 0, count: 16384)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return nil }
            guard count > 0 else { throw ServerError(message: "read failed or timed out: errno \(errno)") }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Sends one request and reads its response.
    public func exchange(_ request: String) throws -> HTTPResponse? {
        try send(request)
        return try readResponse()
    }

    /// True when the server has closed the connection (read returns end of stream).
    public func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 0
    }
}
