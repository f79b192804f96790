import Foundation
import TrackCore

/// Events as the API reports them, each call on behalf of a user.
///
/// An administrator sees the events of every device; any other user only those of devices linked to them
/// in `tc_user_device`. The check is part of each statement, so asking for another user's device or event
/// id finds nothing. Statements on behalf of a user take `$1` administrator, `$2` user id.
public struct EventStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    private static let columns = "e.id, e.type, e.eventtime, e.deviceid, e.positionid, e.geofenceid, e.attributes"
    private static let visible =
        "($1::boolean OR e.deviceid IN (SELECT deviceid FROM tc_user_device WHERE userid = $2))"

    /// Traccar's events report: the events of `deviceIds` (none: every device `user` sees; ids `user` does
    /// not see are left out) with `from` ≤ event time ≤ `to`, ordered by device and then time.
    /// - Parameter types: the event types to report; empty or containing `allEvents`, every type.
    public func events(for user: StoredUser, deviceIds: [Int], from: Date, to: Date, types: [String])
        throws(PostgresError) -> [StoredEvent]
    {
        let types = types.contains("allEvents") ? [] : types
        return events(try connection.execute("""
            SELECT \(Self.columns) FROM tc_events e
            WHERE e.deviceid IS NOT NULL AND \(Self.visible)
              AND (cardinality($3::bigint[]) = 0 OR e.deviceid = ANY($3::bigint[]))
              AND e.eventtime BETWEEN $4 AND $5
              AND (cardinality($6::varchar[]) = 0 OR e.type = ANY($6::varchar[]))
            ORDER BY e.deviceid, e.eventtime, e.id
            """, Self.parameters(user) + [
                PostgresText.array(deviceIds.map(String.init)), PostgresText.timestamp(from),
                PostgresText.timestamp(to), PostgresText.array(types),
            ], context: "read events"))
    }

    /// The event with this id if `user` sees its device.
    public func event(id: Int64, for user: StoredUser) throws(PostgresError) -> StoredEvent? {
        events(try connection.execute("""
            SELECT \(Self.columns) FROM tc_events e WHERE e.id = $3::bigint AND \(Self.visible)
            """, Self.parameters(user) + [String(id)], context: "read an event")).first
    }

    /// Events of any device with ids above `id`, in id order, for the live feed (which filters per client).
    public func events(after id: Int64, limit: Int) throws(PostgresError) -> [StoredEvent] {
        events(try connection.execute("""
            SELECT \(Self.columns) FROM tc_events e WHERE e.id > $1::bigint AND e.deviceid IS NOT NULL
            ORDER BY e.id LIMIT $2
            """, [String(id), String(limit)], context: "read new events"))
    }

    /// The highest event id, 0 when there is none.
    public func highestId() throws(PostgresError) -> Int64 {
        try connection.execute("SELECT coalesce(max(id), 0) FROM tc_events", context: "read the highest event id")
            .value(row: 0, column: 0).flatMap { Int64($0) } ?? 0
    }

    private static func parameters(_ user: StoredUser) -> [String?] {
        [user.administrator ? "t" : "f", String(user.id)]
    }

    /// Rows without an event time are skipped: itrack never writes one, and a `StoredEvent` always has a time.
    private func events(_ result: PostgresResult) -> [StoredEvent] {
        (0..<result.rowCount).compactMap { row in
            func text(_ column: Int) -> String? { result.value(row: row, column: column) }
            guard let id = text(0).flatMap({ Int64($0) }), let type = text(1),
                  let time = text(2).flatMap(PostgresText.date(fromTimestamp:))
            else { return nil }
            return StoredEvent(id: id, type: type, eventTime: time, deviceId: text(3).flatMap { Int($0) } ?? 0,
                               positionId: text(4).flatMap { Int64($0) } ?? 0,
                               geofenceId: text(5).flatMap { Int($0) } ?? 0, attributes: text(6) ?? "{}")
        }
    }
}
