import Foundation
import Logging
import Synchronization
import TrackCore
import TrackNet
import TrackPostgres

/// Pushes newly committed positions, and their devices, to every `/api/socket` client that may see them, and a
/// `{}` keepalive every 55 s as Traccar does.
///
/// While nobody watches it only keeps up with the highest id (one index lookup per wake-up), and reads rows back
/// only while clients are connected. A live view, not a log: a position whose transaction commits after a
/// higher id was sent is skipped.
final class LiveFeed: @unchecked Sendable {
    // @unchecked: `lastId` and `lastKeepalive` are touched only by the feed's thread.
    private let databaseURL: String
    private let logger: Logger
    private let signal = CommitSignal()
    private let sockets = Mutex<[ObjectIdentifier: LiveSocket]>([:])
    private var lastId: Int64 = 0
    private var lastKeepalive = Date()

    init(databaseURL: String, logger: Logger) {
        self.databaseURL = databaseURL
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "itrack-live"
        thread.start()
    }

    func stop() { signal.requestStop() }

    func notifyCommitted() { signal.notifyCommitted() }

    func add(_ socket: LiveSocket) { sockets.withLock { $0[ObjectIdentifier(socket)] = socket } }

    func remove(_ socket: LiveSocket) { sockets.withLock { $0[ObjectIdentifier(socket)] = nil } }

    private func run() {
        var positions: CommittedPositions?
        while !signal.isStopping {
            signal.wait(seconds: 1)
            let clients = sockets.withLock { Array($0.values) }
            if !clients.isEmpty && Date().timeIntervalSince(lastKeepalive) >= 55 {
                lastKeepalive = Date()
                for client in clients { client.send("{}") }
            }
            do {
                let current = try positions ?? CommittedPositions(
                    connection: PostgresConnection(url: databaseURL, applicationName: "itrack-live"))
                positions = current
                if clients.isEmpty {
                    lastId = try current.highestId()
                } else {
                    try push(current, to: clients)
                }
            } catch {
                logger.warning("live feed paused", metadata: ["error": "\(error)"])
                positions = nil
            }
        }
    }

    private func push(_ positions: CommittedPositions, to clients: [LiveSocket]) throws {
        let rows = try positions.rows(after: lastId, limit: 5000)
        guard let last = rows.last else { return }
        lastId = last.id
        for client in clients {
            let visible = client.visibleDevices.map { devices in rows.filter { devices.contains($0.deviceId) } } ?? rows
            guard !visible.isEmpty else { continue }
            client.send(#"{"positions":["# + visible.map(\.traccarJSON).joined(separator: ",") + "]}")
            var seen = Set<Int>()
            let devices = visible.reversed().filter { seen.insert($0.deviceId).inserted }.map(\.device.traccarJSON)
            client.send(#"{"devices":["# + devices.joined(separator: ",") + "]}")
        }
    }
}
