import CEpoll
import Foundation
import TrackWire

/// One connection's share of a replay, as a state machine over a non-blocking socket, so that a few `ReplayLoop`
/// threads drive hundreds of connections. With a blocking thread per connection the load generator took a quarter
/// of the CPU in `scripts/bench-ingest`, and every response the server wrote had to wake one of those threads.
///
/// Closed loop on purpose: a request is sent only after the previous response arrived, so latency is what one
/// device would see and throughput is what `--connections` concurrent devices get. Only its loop's thread touches
/// it.
final class ReplayConnection {
    /// Which requests this connection sends: global indices `first`, `first + stride`, … below `total`, each
    /// taken modulo the request list, which is how `--repeat` and round-robin distribution come out of one loop.
    struct Share {
        var first: Int
        var stride: Int
        var total: Int
        /// Nanoseconds between sends for `--rate`, 0 for as fast as responses come.
        var interval: UInt64
    }

    enum Phase: Equatable {
        /// Waiting for `due` before the next request (`--rate`).
        case paced
        case connecting
        case sending
        case receiving
        case finished
    }

    /// A reused connection idle for longer than this is checked for a server-side close before it is written to,
    /// so a server's keep-alive timeout does not count as a failed request. Under load a connection's next send
    /// follows its response within microseconds, so only paced or stalled connections pay for the extra syscall.
    private static let idleCheckNanos: UInt64 = 10_000_000

    private let requests: [ReplayRequest]
    private let target: ReplayTarget
    private let share: Share
    private let timeoutNanos: UInt64
    private let epoll: Int32
    private let token: UInt64
    private let parser = HTTPResponseParser()
    private(set) var phase = Phase.paced
    /// When the next request may start, under `--rate`.
    private(set) var due: UInt64
    /// When the connect, send or receive in progress fails as `.timeout` unless it makes progress first.
    private(set) var deadline: UInt64 = 0
    private var index: Int
    private var socket: Int32 = -1
    /// The epoll events the socket is registered for; 0 when it is not registered.
    private var watched: UInt32 = 0
    private var started: UInt64 = 0
    private var lastUse: UInt64 = 0
    private var sentBytes = 0
    private var buffer = [UInt8](repeating: 0, count: 16384)
    private var filled = 0
    private(set) var tally = ReplayTally()

    /// `token` is what epoll reports for this connection's socket: its index in the loop.
    init(
        requests: [ReplayRequest], target: ReplayTarget, share: Share, timeoutNanos: UInt64, epoll: Int32,
        token: UInt64, start: UInt64
    ) {
        self.requests = requests
        self.target = target
        self.share = share
        self.timeoutNanos = timeoutNanos
        self.epoll = epoll
        self.token = token
        index = share.first
        due = start
    }

    /// Starts the next request once it is due, or finishes when the share is done. A request that fails before it
    /// needs to wait for the server (a refused connect) is counted and the next one is tried, in this loop rather
    /// than by recursion, so a dead server cannot grow the stack.
    func advance(now: UInt64) {
        while index < share.total {
            if share.interval > 0 {
                guard due <= now else {
                    phase = .paced
                    return
                }
                due += share.interval
            }
            tally.sent += 1
            started = now
            deadline = now + timeoutNanos
            sentBytes = 0
            do throws(TransportFailure) {
                if socket >= 0, now - lastUse > Self.idleCheckNanos, peerClosed() { disconnect() }
                if socket < 0 {
                    try connect(now: now)
                    if phase == .connecting { return }
                }
                try send(now: now)
                return
            } catch {
                drop(error)
            }
        }
        phase = .finished
        disconnect()
    }

    /// Carries the exchange in progress forward when epoll reports the socket ready.
    func socketReady(now: UInt64) {
        do throws(TransportFailure) {
            switch phase {
            case .connecting:
                try finishConnect()
                try send(now: now)
            case .sending:
                try send(now: now)
            case .receiving:
                guard let response = try receive(now: now) else { return }
                lastUse = now
                tally.record(status: response.status, micros: (now - started) / 1000)
                if requests[index % requests.count].closesConnection || Self.closes(response) { disconnect() }
                index += share.stride
                phase = .paced
            case .paced:
                // Readable between requests: the server closed the kept-alive connection (or sent what nobody
                // asked for). Level-triggered epoll would report it again and again until the next request is
                // due, so the connection goes now and the next request opens a new one.
                disconnect()
                return
            case .finished:
                return
            }
        } catch {
            drop(error)
        }
        if phase == .paced { advance(now: now) }
    }

    /// Fails the exchange in progress as `.timeout` when its deadline has passed.
    func expireIfOverdue(now: UInt64) {
        guard phase == .connecting || phase == .sending || phase == .receiving, deadline <= now else { return }
        drop(.timeout)
        advance(now: now)
    }

    /// Counts a failed request and drops the connection, so the next request starts clean.
    private func drop(_ failure: TransportFailure) {
        tally.record(failure)
        disconnect()
        index += share.stride
        phase = .paced
    }

    private func connect(now: UInt64) throws(TransportFailure) {
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = Glibc.socket(Int32(target.address.ss_family), kind, 0)
        guard fd >= 0 else { throw .other }
        socket = fd
        filled = 0
        deadline = now + timeoutNanos
        guard Self.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, Int32(1)) else { throw Self.failure(errno) }
        let result = withUnsafePointer(to: target.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, target.length) }
        }
        if result == 0 { return }
        guard errno == EINPROGRESS else { throw Self.failure(errno) }
        phase = .connecting
        try watch(EPOLLOUT.rawValue)
    }

    private func finishConnect() throws(TransportFailure) {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length) == 0 else { throw Self.failure(errno) }
        guard code == 0 else { throw Self.failure(code) }
    }

    /// Writes what the socket takes; waits for writability when it is full, for the response once all is sent.
    private func send(now: UInt64) throws(TransportFailure) {
        let bytes = requests[index % requests.count].bytes
        while sentBytes < bytes.count {
            // MSG_NOSIGNAL: a peer that went away is an error to count, not a SIGPIPE that ends the process.
            let written = bytes.withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress! + sentBytes, $0.count - sentBytes, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                sentBytes += written
                deadline = now + timeoutNanos
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                phase = .sending
                try watch(EPOLLOUT.rawValue)
                return
            } else if errno != EINTR {
                throw Self.failure(errno)
            }
        }
        phase = .receiving
        deadline = now + timeoutNanos
        try watch(EPOLLIN.rawValue)
    }

    /// Reads what has arrived; returns the final response once it is complete (skipping `100 Continue`), nil
    /// while more is to come. Leftover bytes stay buffered for the next response.
    private func receive(now: UInt64) throws(TransportFailure) -> HTTPResponse? {
        while true {
            // Responses are small; the buffer only grows for an unusually large one and then stays that size.
            if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
            let received = buffer.withUnsafeMutableBytes { raw in
                recv(socket, raw.baseAddress! + filled, raw.count - filled, 0)
            }
            if received > 0 {
                filled += received
                deadline = now + timeoutNanos
                if let response = try parseBuffered() { return response }
            } else if received == 0 {
                throw .closed
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return nil
            } else if errno != EINTR {
                throw Self.failure(errno)
            }
        }
    }

    private func parseBuffered() throws(TransportFailure) -> HTTPResponse? {
        let bodyless = requests[index % requests.count].bodyless
        while true {
            let result: HTTPResponseParseResult
            do {
                result = try parser.parse(buffer[0..<filled], bodyless: bodyless)
            } catch {
                throw .malformed
            }
            guard case .response(let response, let consumed) = result else { return nil }
            buffer.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed)
            }
            filled -= consumed
            if response.status != 100 { return response }
        }
    }

    private func watch(_ events: UInt32) throws(TransportFailure) {
        guard events != watched else { return }
        var event = epoll_event(events: events, data: epoll_data_t(u64: token))
        guard epoll_ctl(epoll, watched == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, socket, &event) == 0 else {
            throw Self.failure(errno)
        }
        watched = events
    }

    /// Whether the server closed an idle connection: readable with zero bytes (or an error) before we wrote.
    private func peerClosed() -> Bool {
        var byte: UInt8 = 0
        let peeked = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Closing the socket also takes it out of the epoll set.
    private func disconnect() {
        if socket >= 0 { close(socket) }
        socket = -1
        watched = 0
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
}
