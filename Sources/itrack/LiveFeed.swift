import Foundation
import Logging
import Synchronization
import TrackCore
import TrackNet
import TrackPostgres

/// Pushes newly committed positions, their devices and new events to every `/api/socket` client that may see
/// them, and a `{}` keepalive every 55 s as Traccar does. Traccar sends only events a user subscribed to with
/// its web notificator; itrack has no notifications, so a client gets every event of its devices.
///
/// While nobody watches it only keeps up with the highest id, once a second rather than at every commit (under
/// load that is a hundred times a second), and reads rows back only while clients are connected. A live view,
/// not a log: a position whose transaction commits after a higher id was sent is skipped.
final class LiveFeed: @unchecked Sendable {
    // @unchecked: `lastId`, `lastEventId`, `lastKeepalive` and `lastIdleCheck` are touched only by the feed's thread.
    private let databaseURL: String
    private let logger: Logger
    private let signal = CommitSignal()
    private let sockets = Mutex<[ObjectIdentifier: LiveSocket]>([:])
    private var lastId: Int64 = 0
    private var lastEventId: Int64 = 0
    private var lastKeepalive = Date()
    private var lastIdleCheck = Date.distantPast

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
        var connection: PostgresConnection?
        while !signal.isStopping {
            signal.wait(seconds: 1)
            let clients = sockets.withLock { Array($0.values) }
            if !clients.isEmpty && Date().timeIntervalSince(lastKeepalive) >= 55 {
                lastKeepalive = Date()
                for client in clients { client.send("{}") }
            }
            do {
                let current = try connection ?? PostgresConnection(url: databaseURL, applicationName: "itrack-live")
                connection = current
                if clients.isEmpty {
                    guard Date().timeIntervalSince(lastIdleCheck) >= 1 else { continue }
                    lastIdleCheck = Date()
                    lastId = try CommittedPositions(connection: current).highestId()
                    lastEventId = try EventStore(connection: current).highestId()
                } else {
                    lastIdleCheck = .distantPast
                    try push(CommittedPositions(connection: current), to: clients)
                    try pushEvents(EventStore(connection: current), to: clients)
                }
            } catch {
                logger.warning("live feed paused", metadata: ["error": "\(error)"])
                connection = nil
            }
        }
    }

    /// Each row is encoded once, however many clients it goes to.
    private func push(_ positions: CommittedPositions, to clients: [LiveSocket]) throws {
        let rows = try positions.rows(after: lastId, limit: 5000)
        guard let last = rows.last else { return }
        lastId = last.id
        let encoded = rows.map { (deviceId: $0.deviceId, json: $0.traccarJSON) }
        // A device's newest row holds its newest state.
        var seen = Set<Int>()
        let devices = rows.reversed().filter { seen.insert($0.deviceId).inserted }
            .map { (deviceId: $0.deviceId, json: $0.device.traccarJSON) }
        for client in clients {
            send("positions", client.visible(encoded, device: \.deviceId), to: client)
            send("devices", client.visible(devices, device: \.deviceId), to: client)
        }
    }

    private func pushEvents(_ store: EventStore, to clients: [LiveSocket]) throws {
        let events = try store.events(after: lastEventId, limit: 1000)
        guard let last = events.last else { return }
        lastEventId = last.id
        let encoded = events.map { (deviceId: $0.deviceId, json: $0.traccarJSON) }
        for client in clients { send("events", client.visible(encoded, device: \.deviceId), to: client) }
    }

    /// `{"<kind>":[…]}`, unless there is nothing for this client.
    private func send(_ kind: String, _ items: [(deviceId: Int, json: String)], to client: LiveSocket) {
        guard !items.isEmpty else { return }
        client.send(JSONText.object([(kind, JSONText.array(items.map(\.json)))]))
    }
}
