import Foundation
import TrackCore

/// Geofences as the API reads and edits them, each call on behalf of a user.
///
/// An administrator sees and edits every geofence; any other user only those linked to them in
/// `tc_user_geofence`, which is where a geofence's creator is linked. The check is part of each statement, so
/// a geofence another user owns is neither returned nor changed, whatever id the caller sends. Reads, edits and
/// deletes take `$1` administrator, `$2` user id; ids are compared as `bigint` so an id beyond the
/// `integer` columns' range finds nothing instead of failing.
public struct GeofenceStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    private static let columns = "g.id, g.name, g.description, g.area, g.attributes, g.calendarid"
    private static let visible = "($1::boolean OR g.id IN (SELECT geofenceid FROM tc_user_geofence WHERE userid = $2))"

    /// The geofences `user` sees, sorted by name; only `ids` when some are given, and only those linked to
    /// `deviceId` when it is given (none when `user` cannot see that device).
    public func geofences(for user: StoredUser, ids: [Int] = [], deviceId: Int? = nil) throws(PostgresError)
        -> [StoredGeofence]
    {
        geofences(try connection.execute("""
            SELECT \(Self.columns) FROM tc_geofences g
            WHERE \(Self.visible)
              AND (cardinality($3::bigint[]) = 0 OR g.id = ANY($3::bigint[]))
              AND ($4::bigint IS NULL OR g.id IN (
                  SELECT l.geofenceid FROM tc_device_geofence l
                  WHERE l.deviceid = $4::bigint
                    AND ($1 OR l.deviceid IN (SELECT deviceid FROM tc_user_device WHERE userid = $2))))
            ORDER BY g.name, g.id
            """, Self.parameters(user) + [PostgresText.array(ids.map(String.init)), deviceId.map(String.init)],
            context: "read geofences"))
    }

    /// The geofence with this id if `user` sees it.
    public func geofence(id: Int, for user: StoredUser) throws(PostgresError) -> StoredGeofence? {
        geofences(try connection.execute("""
            SELECT \(Self.columns) FROM tc_geofences g WHERE g.id = $3::bigint AND \(Self.visible)
            """, Self.parameters(user) + [String(id)], context: "read a geofence")).first
    }

    /// Stores `geofence` under a new id (its own `id` is ignored) and links it to `user`; returns it as stored.
    public func create(_ geofence: StoredGeofence, for user: StoredUser) throws(PostgresError) -> StoredGeofence {
        // Both inserts are one statement, so the link's foreign key is checked once the geofence exists and
        // neither row can be left without the other.
        let created = geofences(try connection.execute("""
            WITH g AS (
                INSERT INTO tc_geofences (name, description, area, attributes, calendarid)
                VALUES ($2, $3, $4, $5, $6) RETURNING *
            ), link AS (
                INSERT INTO tc_user_geofence (userid, geofenceid) SELECT $1, id FROM g
            )
            SELECT \(Self.columns) FROM g
            """, [String(user.id)] + Self.fields(geofence), context: "create a geofence")).first
        guard let created else {
            throw PostgresError(code: .statement, context: "create a geofence", message: "no row returned")
        }
        return created
    }

    /// Replaces the fields of the geofence with `geofence.id`; nil, changing nothing, when `user` does not
    /// see it.
    public func update(_ geofence: StoredGeofence, for user: StoredUser) throws(PostgresError) -> StoredGeofence? {
        geofences(try connection.execute("""
            UPDATE tc_geofences g SET name = $4, description = $5, area = $6, attributes = $7, calendarid = $8
            WHERE g.id = $3::bigint AND \(Self.visible)
            RETURNING \(Self.columns)
            """, Self.parameters(user) + [String(geofence.id)] + Self.fields(geofence),
            context: "update a geofence")).first
    }

    /// Deletes the geofence with this id, with its links to users and devices; false when `user` does not see
    /// it.
    public func delete(id: Int, for user: StoredUser) throws(PostgresError) -> Bool {
        try connection.execute("""
            DELETE FROM tc_geofences g WHERE g.id = $3::bigint AND \(Self.visible)
            """, Self.parameters(user) + [String(id)], context: "delete a geofence").affectedRows > 0
    }

    private static func parameters(_ user: StoredUser) -> [String?] {
        [user.administrator ? "t" : "f", String(user.id)]
    }

    /// name, description, area, attributes, calendarid.
    private static func fields(_ geofence: StoredGeofence) -> [String?] {
        [geofence.name, geofence.description, geofence.area, geofence.attributes.isEmpty ? "{}" : geofence.attributes,
         geofence.calendarId.map(String.init)]
    }

    private func geofences(_ result: PostgresResult) -> [StoredGeofence] {
        (0..<result.rowCount).compactMap { row in
            func text(_ column: Int) -> String? { result.value(row: row, column: column) }
            guard let id = text(0).flatMap({ Int($0) }) else { return nil }
            return StoredGeofence(id: id, name: text(1) ?? "", description: text(2), area: text(3) ?? "",
                                  attributes: text(4) ?? "{}", calendarId: text(5).flatMap { Int($0) })
        }
    }
}
