import Foundation
import Synchronization
import TrackPostgres

/// A few PostgreSQL connections for API requests, which run on a queue of their own so that a slow query
/// never holds up the web port's connection thread or the position writers.
final class APIDatabase: Sendable {
    private let url: String
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore

    init(url: String, size: Int = 4) {
        self.url = url
        slots = DispatchSemaphore(value: size)
    }

    /// Runs `body` with a connection, waiting for one when all are busy; a connection that broke is dropped.
    func with<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        let connection = try idle.withLock { $0.popLast() } ?? PostgresConnection(url: url, applicationName: "itrack-api")
        defer { if connection.isOpen { idle.withLock { $0.append(connection) } } }
        return try body(connection)
    }
}
