import Foundation
import TrackCore

/// Reads committed positions back, with their devices, for forwarding; and keeps the publish cursor.
public struct CommittedPositions {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The position and device columns `decode` reads, ending in the FROM clause; shared with `PositionHistory`.
    static let columns = """
        p.id, p.deviceid, p.protocol, p.servertime, p.devicetime, p.fixtime, p.valid, p.latitude, p.longitude,
        p.altitude, p.speed, p.course, p.address, p.accuracy, p.attributes, p.network,
        \(StoredDevice.columns(table: "d"))
        FROM tc_positions p JOIN tc_devices d ON d.id = p.deviceid
        """

    private static let after = PreparedStatement(
        name: "positions_after", sql: "SELECT \(columns) WHERE p.id > $1 ORDER BY p.id LIMIT $2")
    private static let byIds = PreparedStatement(
        name: "positions_by_id", sql: "SELECT \(columns) WHERE p.id = ANY($1::bigint[]) ORDER BY p.id")

    /// Up to `limit` rows with ids above `id`, in id order.
    public func rows(after id: Int64, limit: Int) throws(PostgresError) -> [StoredPosition] {
        try Self.decode(connection.execute(Self.after, [String(id), String(limit)], context: "read positions"))
    }

    /// The rows among `ids` that exist now.
    public func rows(ids: [Int64]) throws(PostgresError) -> [StoredPosition] {
        if ids.isEmpty { return [] }
        return try Self.decode(connection.execute(
            Self.byIds, [PostgresText.array(ids.map(String.init))], context: "re-read positions"))
    }

    /// The highest position id, 0 when there is none.
    public func highestId() throws(PostgresError) -> Int64 {
        try connection.execute("SELECT coalesce(max(id), 0) FROM tc_positions", context: "read the highest id")
            .value(row: 0, column: 0).flatMap { Int64($0) } ?? 0
    }

    /// The highest position id and the server time of the oldest row after `cursor`, for lag figures.
    public func lag(after cursor: Int64) throws(PostgresError) -> (highestId: Int64, oldestWaiting: Date?) {
        let result = try connection.execute("""
            SELECT (SELECT max(id) FROM tc_positions),
                   (SELECT servertime FROM tc_positions WHERE id > $1 ORDER BY id LIMIT 1)
            """, [String(cursor)], context: "publish lag")
        return (result.value(row: 0, column: 0).flatMap { Int64($0) } ?? 0,
                result.value(row: 0, column: 1).flatMap(PostgresText.date(fromTimestamp:)))
    }

    public func loadCursor(node: String, topic: String) throws(PostgresError) -> Int64 {
        let result = try connection.execute(
            "SELECT position_id FROM it_publish_cursors WHERE node = $1 AND topic = $2", [node, topic],
            context: "load publish cursor")
        return result.rowCount == 0 ? 0 : result.value(row: 0, column: 0).flatMap { Int64($0) } ?? 0
    }

    /// Stores the cursor; it only ever moves forward, even if two processes share a node name.
    public func saveCursor(_ positionId: Int64, node: String, topic: String) throws(PostgresError) {
        try connection.execute("""
            INSERT INTO it_publish_cursors (node, topic, position_id) VALUES ($1, $2, $3)
            ON CONFLICT (node, topic) DO UPDATE SET position_id = GREATEST(it_publish_cursors.position_id,
                EXCLUDED.position_id), updated = now() AT TIME ZONE 'UTC'
            """, [node, topic, String(positionId)], context: "save publish cursor")
    }

    /// The rows of a `SELECT \(columns) …` as positions; a row missing its id or times is left out.
    static func decode(_ result: PostgresResult) -> [StoredPosition] {
        (0..<result.rowCount).compactMap { row in
            func text(_ column: Int) -> String? { result.value(row: row, column: column) }
            func double(_ column: Int) -> Double { text(column).flatMap(Double.init) ?? 0 }
            func time(_ column: Int) -> Date? { text(column).flatMap(PostgresText.date(fromTimestamp:)) }
            guard let id = text(0).flatMap({ Int64($0) }), let deviceId = text(1).flatMap({ Int($0) }),
                  let serverTime = time(3), let deviceTime = time(4), let fixTime = time(5)
            else { return nil }
            let device = StoredDevice(id: deviceId, result, row: row, from: 16)
            return StoredPosition(
                id: id, deviceId: deviceId, protocolName: text(2) ?? "", serverTime: serverTime,
                deviceTime: deviceTime, fixTime: fixTime, valid: text(6) == "t", latitude: double(7),
                longitude: double(8), altitude: double(9), speed: double(10), course: double(11), address: text(12),
                accuracy: double(13), attributes: text(14) ?? "{}", network: text(15), device: device)
        }
    }
}
