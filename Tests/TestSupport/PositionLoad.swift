import Foundation
import Synchronization

/// Phones posting unique positions in a loop over keep-alive connections, remembering exactly
/// which positions the server acknowledged, so durability tests can check each one is stored.
public final class PositionLoad: Sendable {
    /// One acknowledged position: device and epoch second of its fix.
    public struct Ack: Hashable, Sendable {
        public let uniqueId: String
        public let timestamp: Int
    }

    private let port: UInt16
    private let phones: Int
    private let acks = Mutex<Set<Ack>>([])
    private let statuses = Mutex<[Int: Int]>([:])
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchGroup()

    public init(port: UInt16, phones: Int) {
        self.port = port
        self.phones = phones
    }

    /// Starts one thread per phone; each sends until `stop()` or `limit` positions.
    public func start(limit: Int = 1_000_000, pause: TimeInterval = 0) {
        for phone in 0..<phones {
            finished.enter()
            Thread.detachNewThread { [self] in
                send(phone: phone, limit: limit, pause: pause)
                finished.leave()
            }
        }
    }

    public func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }

    /// Waits for the phones to send their `limit`.
    public func wait() { finished.wait() }

    public var acknowledged: Set<Ack> { acks.withLock { $0 } }

    /// How many answers had each status; 0 counts connections that failed without an answer.
    public var statusCounts: [Int: Int] { statuses.withLock { $0 } }

    private func send(phone: Int, limit: Int, pause: TimeInterval) {
        let uniqueId = "load-\(phone)"
        var client: RawHTTPClient?
        for index in 0..<limit where !stopping.load(ordering: .relaxed) {
            let timestamp = 1_795_000_000 + index
            let body = "id=\(uniqueId)&lat=52.\(index % 1000)&lon=13.4&timestamp=\(timestamp)&speed=1.5"
            let request = "POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            do {
                if client == nil { client = try RawHTTPClient(port: port, timeout: 10) }
                guard let response = try client?.exchange(request) else { throw ServerError(message: "closed") }
                statuses.withLock { $0[response.status, default: 0] += 1 }
                if response.status == 200 { _ = acks.withLock { $0.insert(Ack(uniqueId: uniqueId, timestamp: timestamp)) } }
                if response.headers["Connection"] == "close" { client = nil }
            } catch {
                statuses.withLock { $0[0, default: 0] += 1 }
                client = nil
                Thread.sleep(forTimeInterval: 0.05)
            }
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
    }

    /// The acknowledged positions missing from `tc_positions` (should be none).
    public func missing(in databaseURL: String) throws -> Set<Ack> {
        let rows = try TestDatabase.rows(databaseURL, """
            SELECT d.uniqueid, extract(epoch FROM p.fixtime)::bigint FROM tc_positions p
            JOIN tc_devices d ON d.id = p.deviceid WHERE d.uniqueid LIKE 'load-%'
            """)
        let stored = Set(rows.compactMap { row -> Ack? in
            guard let id = row[0], let seconds = row[1].flatMap({ Int($0) }) else { return nil }
            return Ack(uniqueId: id, timestamp: seconds)
        })
        return acknowledged.subtracting(stored)
    }
}
