import Foundation
import TrackCore

/// The rows of one batch as column arrays, inserted with a single `unnest` statement.
///
/// One prepared statement per batch whatever its size, planned once per connection, and a retried
/// point (same device, fix time, device time and coordinates) is skipped by the unique index. The work is in
/// PostgreSQL's `it_insert_positions` (migration 7), which also checks the batch's devices still exist.
struct PositionRows {
    private var protocols = PostgresArrayText()
    private var deviceIds = PostgresArrayText()
    private var serverTimes = PostgresArrayText()
    private var deviceTimes = PostgresArrayText()
    private var fixTimes = PostgresArrayText()
    private var valids = PostgresArrayText()
    private var latitudes = PostgresArrayText()
    private var longitudes = PostgresArrayText()
    private var altitudes = PostgresArrayText()
    private var speeds = PostgresArrayText()
    private var courses = PostgresArrayText()
    private var accuracies = PostgresArrayText()
    private var attributes = PostgresArrayText()
    private var networks = PostgresArrayText()
    /// Every device with a row in this batch: each gets `lastupdate`, and its newest row may become `positionid`.
    private var deviceIdsSeen: Set<Int> = []

    var count: Int { deviceIds.count }

    /// `it_insert_positions` (migration 7): insert, then stamp and move every device of the batch.
    private static let statement = PreparedStatement(name: "insert_positions", sql: """
        SELECT inserted, moved FROM it_insert_positions($1::varchar[], $2::integer[], $3::timestamp[],
            $4::timestamp[], $5::timestamp[], $6::boolean[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
            $11::float8[], $12::float8[], $13::text[], $14::text[], $15::integer[], $16::timestamp)
    """)

    mutating func append(_ position: Position, deviceId: Int, serverTime: Date) {
        protocols.append(position.protocolName)
        deviceIds.append(String(deviceId))
        serverTimes.append(PostgresText.timestamp(serverTime))
        deviceTimes.append(PostgresText.timestamp(position.deviceTime))
        fixTimes.append(PostgresText.timestamp(position.fixTime))
        valids.append(position.valid ? "t" : "f")
        latitudes.append(String(position.latitude))
        longitudes.append(String(position.longitude))
        altitudes.append(String(position.altitude))
        speeds.append(String(position.speed))
        courses.append(String(position.course))
        accuracies.append(String(position.accuracy))
        attributes.append(position.attributes.jsonText)
        networks.append(position.network.flatMap { $0.isEmpty ? nil : $0.jsonText })
        deviceIdsSeen.insert(deviceId)
    }

    /// Inserts the rows, then points each device at its newest position and stamps `lastupdate`.
    /// - Returns: how many rows were new (the rest were retries already stored).
    func insert(on connection: PostgresConnection, serverTime: Date) throws(PostgresError) -> Int {
        guard count > 0 else { return 0 }
        let columns = [protocols, deviceIds, serverTimes, deviceTimes, fixTimes, valids, latitudes, longitudes,
                       altitudes, speeds, courses, accuracies, attributes, networks]
        let inserted = try connection.execute(Self.statement,
            columns.map(\.text) + [PostgresText.array(deviceIdsSeen.sorted().map(String.init)),
                                   PostgresText.timestamp(serverTime)],
            context: "insert positions")
        return inserted.value(row: 0, column: 0).flatMap { Int($0) } ?? 0
    }
}
