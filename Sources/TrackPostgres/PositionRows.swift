import Foundation
import TrackCore

/// The rows of one batch as column arrays in binary, inserted by one call of `it_insert_positions`.
///
/// One prepared statement per batch whatever its size, planned once per connection, and a retried
/// point (same device, fix time, device time and coordinates) is skipped by the unique index. The work is in
/// PostgreSQL's `it_insert_positions` (migration 7), which also checks the batch's devices still exist.
struct PositionRows {
    private var protocols = PostgresArrayBinary(.varchar)
    private var deviceIds = PostgresArrayBinary(.int4)
    private var serverTimes = PostgresArrayBinary(.timestamp)
    private var deviceTimes = PostgresArrayBinary(.timestamp)
    private var fixTimes = PostgresArrayBinary(.timestamp)
    private var valids = PostgresArrayBinary(.bool)
    private var latitudes = PostgresArrayBinary(.float8)
    private var longitudes = PostgresArrayBinary(.float8)
    private var altitudes = PostgresArrayBinary(.float8)
    private var speeds = PostgresArrayBinary(.float8)
    private var courses = PostgresArrayBinary(.float8)
    private var accuracies = PostgresArrayBinary(.float8)
    private var attributes = PostgresArrayBinary(.text)
    private var networks = PostgresArrayBinary(.text)
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
        deviceIds.append(Int32(clamping: deviceId))
        serverTimes.append(serverTime)
        deviceTimes.append(position.deviceTime)
        fixTimes.append(position.fixTime)
        valids.append(position.valid)
        latitudes.append(position.latitude)
        longitudes.append(position.longitude)
        altitudes.append(position.altitude)
        speeds.append(position.speed)
        courses.append(position.course)
        accuracies.append(position.accuracy)
        attributes.append(position.attributes.jsonText)
        networks.append(position.network.flatMap { $0.isEmpty ? nil : $0.jsonText })
        deviceIdsSeen.insert(deviceId)
    }

    /// Inserts the rows, then points each device at its newest position and stamps `lastupdate`.
    /// - Returns: how many rows were new (the rest were retries already stored).
    func insert(on connection: PostgresConnection, serverTime: Date) throws(PostgresError) -> Int {
        guard count > 0 else { return 0 }
        var devices = PostgresArrayBinary(.int4)
        for deviceId in deviceIdsSeen.sorted() { devices.append(Int32(clamping: deviceId)) }
        let columns = [protocols, deviceIds, serverTimes, deviceTimes, fixTimes, valids, latitudes, longitudes,
                       altitudes, speeds, courses, accuracies, attributes, networks, devices]
        let inserted = try connection.execute(
            Self.statement, binary: columns.map(\.bytes) + [PostgresArrayBinary.timestamp(serverTime)],
            context: "insert positions")
        return inserted.value(row: 0, column: 0).flatMap { Int($0) } ?? 0
    }
}
