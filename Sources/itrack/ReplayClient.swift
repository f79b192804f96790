import Foundation
import TrackWire

/// A `HOST:PORT` resolved once, so reconnects under load cost no DNS lookup.
struct ReplayTarget: Sendable {
    let text: String
    let address: sockaddr_storage
    let length: socklen_t

    /// Resolves `host:port`, `[v6-address]:port` or `v6-address:port`; the first address getaddrinfo offers wins.
    init(_ text: String) throws(ReplayError) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw ReplayError("--to must be HOST:PORT, got '\(text)'")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ReplayError("cannot resolve '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(
                from: UnsafeRawBufferPointer(
                    start: first.pointee.ai_addr,
                    count: Int(first.pointee.ai_addrlen)))
        }
        self.text = text
        address = storage
        length = first.pointee.ai_addrlen
    }
}

/// Sends one connection's share of the requests over a blocking TCP socket, one at a time, and times each answer.
///
/// Closed loop on purpose: a request is sent only after the previous response arrived, so latency is what one
/// device would see and throughput is what `--connections` concurrent devices get. The client runs on a thread of
/// its own and owns all its state; the command reads `tally` only after that thread has finished, hence
/// `@unchecked Sendable`.
final class ReplayClient: @unchecked Sendable {
    /// Which requests this connection sends: global indices `first`, `first + stride`, … below `total`, each
    /// taken modulo the request list, which is how `--repeat` and round-robin distribution come out of one loop.
    struct Share {
        var first: Int
        var stride: Int
        var total: Int
        /// Nanoseconds between sends for `--rate`, 0 for as fast as responses come.
        var interval: UInt64
    }

    /// A reused connection idle for longer than this is checked for a server-side close before it is written to,
    /// so a server's keep-alive timeout does not count as a failed request. Under load a connection's next send
    /// follows its response within microseconds, so only paced or stalled connections pay for the extra syscall.
    private static let idleCheckNanos: UInt64 = 10_000_000

    private let requests: [ReplayRequest]
    private let target: ReplayTarget
    private let share: Share
    private let timeout: timeval
    private let parser = HTTPResponseParser()
    private var socket: Int32 = -1
    private var lastUse: UInt64 = 0
    private var buffer = [UInt8](repeating: 0, count: 16384)
    private var filled = 0
    private(set) var tally = ReplayTally()

    init(requests: [ReplayRequest], target: ReplayTarget, share: Share, timeoutSeconds: Double) {
        self.requests = requests
        self.target = target
        self.share = share
        let whole = timeoutSeconds.rounded(.down)
        timeout = timeval(tv_sec: Int(whole), tv_usec: Int((timeoutSeconds - whole) * 1_000_000))
    }

    /// Sends the whole share; failures are counted in `tally`, never thrown.
    func run() {
        var due = Self.now()
        var index = share.first
        while index < share.total {
            if share.interval > 0 {
                Self.sleep(until: due)
                due += share.interval
            }
            exchange(requests[index % requests.count])
            index += share.stride
        }
        disconnect()
    }

    /// One request and its response; any transport failure drops the connection so the next request starts clean.
    private func exchange(_ request: ReplayRequest) {
        tally.sent += 1
        let start = Self.now()
        do throws(TransportFailure) {
            if socket >= 0, start - lastUse > Self.idleCheckNanos, peerClosed() { disconnect() }
            if socket < 0 { try connect() }
            try send(request.bytes)
            let response = try receive(bodyless: request.bodyless)
            lastUse = Self.now()
            tally.record(status: response.status, micros: (lastUse - start) / 1000)
            if request.closesConnection || Self.closes(response) { disconnect() }
        } catch {
            tally.record(error)
            disconnect()
        }
    }

    private func connect() throws(TransportFailure) {
        let fd = Glibc.socket(
            Int32(target.address.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .other }
        // Linux applies SO_SNDTIMEO to connect() too, so one option bounds connect and send.
        guard Self.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, Int32(1)),
            Self.setOption(fd, SOL_SOCKET, SO_RCVTIMEO, timeout),
            Self.setOption(fd, SOL_SOCKET, SO_SNDTIMEO, timeout),
            Self.connect(fd, to: target) == 0
        else {
            let failure = Self.failure(errno)
            close(fd)
            throw failure
        }
        socket = fd
        filled = 0
    }

    private func send(_ bytes: [UInt8]) throws(TransportFailure) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a peer that went away is an error to count, not a SIGPIPE that ends the process.
            let written = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
            } else if errno != EINTR {
                throw Self.failure(errno)
            }
        }
    }

    /// Reads until one final response is buffered, skipping `100 Continue`; leftover bytes stay for the next call.
    private func receive(bodyless: Bool) throws(TransportFailure) -> HTTPResponse {
        while true {
            let result: HTTPResponseParseResult
            do {
                result = try parser.parse(buffer[0..<filled], bodyless: bodyless)
            } catch {
                throw .malformed
            }
            switch result {
            case .incomplete:
                try fill()
            case .response(let response, let consumed):
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
                if response.status != 100 { return response }
            }
        }
    }

    private func fill() throws(TransportFailure) {
        // Responses are small; the buffer only grows for an unusually large one and then stays that size.
        if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        while true {
            let received = buffer.withUnsafeMutableBytes { raw in
                recv(socket, raw.baseAddress! + filled, raw.count - filled, 0)
            }
            if received > 0 {
                filled += received
                return
            }
            if received == 0 { throw .closed }
            if errno != EINTR { throw Self.failure(errno) }
        }
    }

    /// Whether the server closed an idle connection: readable with zero bytes (or an error) before we wrote.
    private func peerClosed() -> Bool {
        var byte: UInt8 = 0
        let peeked = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
        filled = 0
    }

    /// Whether the server announced it closes the connection after this response.
    private static func closes(_ response: HTTPResponse) -> Bool {
        response.headers.fields.contains { field in
            field.name.caseInsensitiveEquals("Connection")
                && field.value.split(separator: ",").contains {
                    $0.trimmingCharacters(in: .whitespaces).caseInsensitiveEquals("close")
                }
        }
    }

    private static func connect(_ fd: Int32, to target: ReplayTarget) -> Int32 {
        withUnsafePointer(to: target.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, target.length) }
        }
    }

    private static func setOption<Value>(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Value) -> Bool {
        withUnsafeBytes(of: value) { setsockopt(fd, level, name, $0.baseAddress, socklen_t($0.count)) == 0 }
    }

    private static func failure(_ code: Int32) -> TransportFailure {
        switch code {
        case ECONNREFUSED: .refused
        case EAGAIN, EWOULDBLOCK, EINPROGRESS, ETIMEDOUT: .timeout
        case ECONNRESET, EPIPE, ECONNABORTED: .reset
        default: .other
        }
    }

    /// Monotonic nanoseconds; DispatchTime reads CLOCK_MONOTONIC without allocating.
    static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }

    private static func sleep(until due: UInt64) {
        let current = now()
        guard due > current else { return }
        let wait = due - current
        var request = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
