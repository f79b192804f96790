import CEpoll
import Foundation

/// One thread's connections of a replay, driven by one epoll instance until each has sent its share.
///
/// Owns its epoll descriptor and connections; the command reads `connections` and `failure` only after the
/// thread running `run()` has finished, hence `@unchecked Sendable`.
final class ReplayLoop: @unchecked Sendable {
    /// How often overdue exchanges are looked for: a timeout fires at most this much late.
    private static let sweepNanos: UInt64 = 50_000_000

    private let epoll: Int32
    private(set) var connections: [ReplayConnection] = []
    /// Why the loop stopped early, when epoll itself failed.
    private(set) var failure: ReplayError?
    private var unfinished = 0
    private var nextSweep: UInt64 = 0

    init() throws(ReplayError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw ReplayError("epoll_create1: \(String(cString: strerror(errno)))") }
    }

    deinit {
        close(epoll)
    }

    /// Adds a connection that will send `share`, starting at `start`.
    func add(requests: [ReplayRequest], target: ReplayTarget, share: ReplayConnection.Share, timeoutNanos: UInt64,
             start: UInt64) {
        connections.append(
            ReplayConnection(
                requests: requests, target: target, share: share, timeoutNanos: timeoutNanos, epoll: epoll,
                token: UInt64(connections.count), start: start))
    }

    /// Runs until every connection has finished its share, or epoll fails (`failure`).
    func run() {
        unfinished = connections.count
        nextSweep = Self.now()
        for connection in connections { drive(connection) { $0.advance(now: Self.now()) } }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while unfinished > 0 {
            let now = Self.now()
            if now >= nextSweep { sweep(now: now) }
            guard unfinished > 0 else { break }
            let wait = nextSweep > now ? Int32(min((nextSweep - now + 999_999) / 1_000_000, 1000)) : 0
            let count = epoll_wait(epoll, &events, Int32(events.count), wait)
            if count < 0 {
                if errno == EINTR { continue }
                failure = ReplayError("epoll_wait: \(String(cString: strerror(errno)))")
                return
            }
            for event in events[0..<Int(count)] {
                drive(connections[Int(event.data.u64)]) { $0.socketReady(now: Self.now()) }
            }
        }
    }

    /// Calls into a connection unless it has finished, and keeps count of those left and of the next time a paced
    /// one is due.
    private func drive(_ connection: ReplayConnection, _ body: (ReplayConnection) -> Void) {
        guard connection.phase != .finished else { return }
        body(connection)
        switch connection.phase {
        case .finished: unfinished -= 1
        case .paced: nextSweep = min(nextSweep, connection.due)
        case .connecting, .sending, .receiving: break
        }
    }

    /// Starts paced connections that are due and fails overdue exchanges; sets when to look again.
    private func sweep(now: UInt64) {
        nextSweep = now + Self.sweepNanos
        for connection in connections {
            switch connection.phase {
            case .finished:
                continue
            case .paced:
                if connection.due <= now { drive(connection) { $0.advance(now: now) } } else {
                    nextSweep = min(nextSweep, connection.due)
                }
            case .connecting, .sending, .receiving:
                drive(connection) { $0.expireIfOverdue(now: now) }
            }
        }
    }

    /// Monotonic nanoseconds; DispatchTime reads CLOCK_MONOTONIC without allocating.
    static func now() -> UInt64 {
        DispatchTime.now().uptimeNanoseconds
    }
}
