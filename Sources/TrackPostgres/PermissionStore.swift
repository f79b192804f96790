import Foundation
import TrackCore

/// Links between users, devices and geofences (`tc_user_device`, `tc_user_geofence`, `tc_device_geofence`),
/// made and removed on behalf of a user.
///
/// Both ends must exist and be visible to that user: an administrator sees everything; anyone else the devices
/// and geofences linked to them, and no user at all, so only administrators give a user access to anything.
/// The check is part of the statement that changes the link, so nothing is linked to what the caller cannot
/// see, whatever ids they send. Parameters are `$1` administrator, `$2` user id, `$3` and `$4` the two ends.
public struct PermissionStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Adds the link (nothing changes when it exists); false when an end is missing or not visible to `user`.
    public func link(_ permission: Permission, for user: StoredUser) throws(PostgresError) -> Bool {
        let shape = Shape(permission)
        return try bothEnds(shape, for: user, context: "link \(shape.table)", change: """
            INSERT INTO \(shape.table) (\(shape.columns.0), \(shape.columns.1)) SELECT a, b FROM ends
            ON CONFLICT DO NOTHING
            """)
    }

    /// Removes the link (nothing changes when there is none); false when an end is missing or not visible to
    /// `user`.
    public func unlink(_ permission: Permission, for user: StoredUser) throws(PostgresError) -> Bool {
        let shape = Shape(permission)
        return try bothEnds(shape, for: user, context: "unlink \(shape.table)", change: """
            DELETE FROM \(shape.table) l USING ends
            WHERE l.\(shape.columns.0) = ends.a AND l.\(shape.columns.1) = ends.b
            """)
    }

    /// Runs `change` with `ends` (columns `a`, `b`: the two ids, when both are visible); true when they were.
    private func bothEnds(_ shape: Shape, for user: StoredUser, context: String, change: String)
        throws(PostgresError) -> Bool
    {
        do throws(PostgresError) {
            // A data-modifying WITH runs to completion whether or not the outer query reads it.
            return try connection.execute("""
                WITH ends AS (
                    SELECT x.id AS a, y.id AS b FROM \(shape.tables.0) x, \(shape.tables.1) y
                    WHERE x.id = $3::bigint AND y.id = $4::bigint
                      AND \(Self.visible(shape.tables.0, alias: "x")) AND \(Self.visible(shape.tables.1, alias: "y"))
                ), changed AS (
                    \(change)
                )
                SELECT count(*) FROM ends
                """, [user.administrator ? "t" : "f", String(user.id), String(shape.ids.0), String(shape.ids.1)],
                context: context).value(row: 0, column: 0) == "1"
        } catch {
            // An end deleted between the check and the insert: as if it had never been there.
            if error.sqlState == "23503" { return false }
            throw error
        }
    }

    /// Whether `$2` may use the row `alias` of `table`.
    private static func visible(_ table: String, alias: String) -> String {
        switch table {
        case "tc_devices": "($1::boolean OR \(alias).id IN (SELECT deviceid FROM tc_user_device WHERE userid = $2))"
        case "tc_geofences":
            "($1::boolean OR \(alias).id IN (SELECT geofenceid FROM tc_user_geofence WHERE userid = $2))"
        default: "$1::boolean"
        }
    }

    /// Where a permission lives: its link table and columns, the tables of its ends, and their ids. All names
    /// are fixed text, never from the request.
    private struct Shape {
        let table: String
        let columns: (String, String)
        let tables: (String, String)
        let ids: (Int, Int)

        init(_ permission: Permission) {
            switch permission {
            case .userDevice(let user, let device):
                (table, columns, tables, ids) = ("tc_user_device", ("userid", "deviceid"), ("tc_users", "tc_devices"),
                                                 (user, device))
            case .userGeofence(let user, let geofence):
                (table, columns, tables, ids) = ("tc_user_geofence", ("userid", "geofenceid"),
                                                 ("tc_users", "tc_geofences"), (user, geofence))
            case .deviceGeofence(let device, let geofence):
                (table, columns, tables, ids) = ("tc_device_geofence", ("deviceid", "geofenceid"),
                                                 ("tc_devices", "tc_geofences"), (device, geofence))
            }
        }
    }
}
