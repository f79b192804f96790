import Foundation
import TrackWire

/// A blocking loopback HTTP client that sends bytes exactly as given, so tests can send
/// malformed, pipelined, chunked or half-finished requests.
public final class RawHTTPClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(port: UInt16, timeout: TimeInterval = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = LoopbackAddress.with(port: port) { connect(fd, $0, $1) }
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
            guard try fill(resetEnds: false) else { return nil }
        }
    }

    /// What `readStreamed` saw of a response: its head (status and headers, no body), how the body was framed,
    /// how much of it came, and whether it ended as that framing says a complete body ends (for a chunked body, with
    /// its last chunk) rather than by the connection closing first or the reader stopping.
    public struct StreamedResponse {
        public let head: HTTPResponse
        public let chunked: Bool
        public let bodyBytes: Int
        public let complete: Bool
    }

    /// Reads the next response without holding its body, for bodies larger than `readResponse` takes: each piece
    /// goes to `body` as it arrives, and `body` returning false stops reading there (a client that gives up).
    /// Nil when the server closed the connection before a head came.
    public func readStreamed(bodyless: Bool = false, body: ([UInt8]) throws -> Bool) throws -> StreamedResponse? {
        let marker = Array("\r\n\r\n".utf8)
        func headEnd() -> Int? {
            buffer.indices.dropLast(3).first { buffer[$0..<$0 + 4].elementsEqual(marker) }.map { $0 + 4 }
        }
        while headEnd() == nil {
            if try !fill() { return nil }
        }
        let headBytes = Array(buffer[..<(headEnd() ?? 0)])
        buffer.removeFirst(headBytes.count)
        guard case .response(let head, _) = try HTTPResponseParser().parse(headBytes, bodyless: true) else {
            throw ServerError(message: "unparsable response head: \(String(decoding: headBytes, as: UTF8.self))")
        }
        let chunked = head.headers["Transfer-Encoding"]?.lowercased() == "chunked"
        if bodyless || head.status < 200 || head.status == 204 || head.status == 304 {
            return StreamedResponse(head: head, chunked: chunked, bodyBytes: 0, complete: true)
        }
        var count = 0
        func deliver(_ bytes: Int) throws -> Bool {
            count += bytes
            defer { buffer.removeFirst(bytes) }
            return try body(Array(buffer[..<bytes]))
        }
        if chunked {
            while true {
                let size = try readLine()?.split(separator: ";").first.flatMap { Int($0, radix: 16) }
                guard let size else {
                    return StreamedResponse(head: head, chunked: true, bodyBytes: count, complete: false)
                }
                if size == 0 {
                    while let trailer = try readLine(), !trailer.isEmpty {}
                    return StreamedResponse(head: head, chunked: true, bodyBytes: count, complete: true)
                }
                while buffer.count < size + 2 {
                    guard try fill() else {
                        return StreamedResponse(head: head, chunked: true, bodyBytes: count, complete: false)
                    }
                }
                guard try deliver(size) else {
                    return StreamedResponse(head: head, chunked: true, bodyBytes: count, complete: false)
                }
                buffer.removeFirst(2)
            }
        }
        let length = head.headers["Content-Length"].flatMap { Int($0) }
        while length.map({ count < $0 }) ?? true {
            if buffer.isEmpty, try !fill() { break }
            guard try deliver(min(buffer.count, length.map { $0 - count } ?? buffer.count)) else { break }
        }
        return StreamedResponse(head: head, chunked: false, bodyBytes: count,
                                complete: length.map { count == $0 } ?? true)
    }

    /// The next CRLF-terminated line without its CRLF; nil when the connection ends first.
    private func readLine() throws -> String? {
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                guard lf > 0, buffer[lf - 1] == 0x0D else { throw ServerError(message: "a line ends in LF without CR") }
                defer { buffer.removeFirst(lf + 1) }
                return String(decoding: buffer[..<(lf - 1)], as: UTF8.self)
            }
            if try !fill() { return nil }
        }
    }

    /// Appends what the socket has to the buffer; false at the end of the stream. A reset counts as the end unless
    /// `resetEnds` is false: a server that cuts a streamed response short may leave it so, while `readResponse`
    /// reports it as a failure.
    private func fill(resetEnds: Bool = true) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count == 0 || (resetEnds && count < 0 && errno == ECONNRESET) { return false }
        guard count > 0 else { throw ServerError(message: "read failed or timed out: errno \(errno)") }
        buffer.append(contentsOf: chunk[0..<count])
        return true
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
