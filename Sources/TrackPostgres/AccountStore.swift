import Foundation
import TrackCore

/// Users, their devices and their sessions, for the API.
///
/// Passwords are hashed and checked by pgcrypto (`crypt` with bcrypt salts) inside the statement, and session
/// ids come from `gen_random_bytes`, so nothing secret is computed or kept in this process.
public struct AccountStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    public func userCount() throws(PostgresError) -> Int {
        try Int(connection.execute("SELECT count(*) FROM tc_users", context: "count users").value(row: 0, column: 0) ?? "0") ?? 0
    }

    /// Creates a user with a bcrypt hash of `password`; returns it.
    public func createUser(name: String, email: String, password: String, administrator: Bool)
        throws(PostgresError) -> StoredUser
    {
        let result = try connection.execute("""
            INSERT INTO tc_users (name, email, hashedpassword, administrator)
            VALUES ($1, $2, crypt($3, gen_salt('bf', 10)), $4) RETURNING \(StoredUser.columns)
            """, [name, email, password, administrator ? "t" : "f"], context: "create user")
        guard let user = StoredUser.rows(result).first else {
            throw PostgresError(code: .statement, context: "create user", message: "no row returned")
        }
        return user
    }

    /// The enabled, unexpired user with this email or login and password; nil otherwise.
    public func authenticate(email: String, password: String) throws(PostgresError) -> StoredUser? {
        StoredUser.rows(try connection.execute("""
            SELECT \(StoredUser.columns) FROM tc_users
            WHERE (lower(email) = lower($1) OR lower(login) = lower($1)) AND hashedpassword = crypt($2, hashedpassword)
              AND NOT disabled AND (expirationtime IS NULL OR expirationtime > now() AT TIME ZONE 'UTC')
            """, [email, password], context: "check a password")).first
    }

    /// A new session or token for `user`, valid for `lifetime` seconds; returns its id.
    public func createSession(user: StoredUser, kind: String, lifetime: TimeInterval) throws(PostgresError) -> String {
        try connection.execute("""
            INSERT INTO it_sessions (id, userid, kind, expires)
            VALUES (encode(gen_random_bytes(24), 'hex'), $1, $2, now() AT TIME ZONE 'UTC' + $3 * interval '1 second')
            RETURNING id
            """, [String(user.id), kind, String(Int(lifetime))], context: "create a session").value(row: 0, column: 0) ?? ""
    }

    /// The enabled, unexpired user of an unexpired session or token of `kind`: disabling a user or letting their
    /// account expire ends their sessions and tokens too, as in Traccar.
    public func user(session: String, kind: String) throws(PostgresError) -> StoredUser? {
        StoredUser.rows(try connection.execute("""
            SELECT \(StoredUser.joinedColumns) FROM it_sessions s JOIN tc_users u ON u.id = s.userid
            WHERE s.id = $1 AND s.kind = $2 AND s.expires > now() AT TIME ZONE 'UTC' AND NOT u.disabled
              AND (u.expirationtime IS NULL OR u.expirationtime > now() AT TIME ZONE 'UTC')
            """, [session, kind], context: "read a session")).first
    }

    /// Per UTC day from `from` to `to`: positions stored and devices that sent them, as Traccar's statistics.
    public func statistics(from: Date, to: Date) throws(PostgresError) -> [(day: Date, stored: Int, devices: Int)] {
        let result = try connection.execute("""
            SELECT date_trunc('day', servertime), count(*), count(DISTINCT deviceid) FROM tc_positions
            WHERE servertime >= $1 AND servertime < $2 GROUP BY 1 ORDER BY 1
            """, [PostgresText.timestamp(from), PostgresText.timestamp(to)], context: "read statistics")
        return (0..<result.rowCount).compactMap { row in
            guard let day = result.value(row: row, column: 0).flatMap(PostgresText.date(fromTimestamp:)) else { return nil }
            return (day, Int(result.value(row: row, column: 1) ?? "") ?? 0, Int(result.value(row: row, column: 2) ?? "") ?? 0)
        }
    }

    public func deleteSession(_ session: String) throws(PostgresError) {
        try connection.execute("DELETE FROM it_sessions WHERE id = $1", [session], context: "delete a session")
    }

    /// The devices `user` may see (an administrator: all), sorted by name, optionally only these ids or
    /// unique ids.
    public func devices(for user: StoredUser, ids: [Int] = [], uniqueIds: [String] = []) throws(PostgresError)
        -> [StoredDevice]
    {
        let result = try connection.execute("""
            SELECT d.id, \(StoredDevice.columns(table: "d")) FROM tc_devices d
            WHERE ($1 OR d.id IN (SELECT deviceid FROM tc_user_device WHERE userid = $2))
              AND (cardinality($3::int[]) = 0 AND cardinality($4::varchar[]) = 0
                   OR d.id = ANY($3::int[]) OR d.uniqueid = ANY($4::varchar[]))
            ORDER BY d.name, d.id
            """, [user.administrator ? "t" : "f", String(user.id), PostgresText.array(ids.map(String.init)),
                  PostgresText.array(uniqueIds)], context: "read devices")
        return (0..<result.rowCount).compactMap { row in
            result.value(row: row, column: 0).flatMap { Int($0) }.map { StoredDevice(id: $0, result, row: row, from: 1) }
        }
    }

    /// Adds a device and links it to `user`; nil when the unique id is taken.
    public func createDevice(_ device: StoredDevice, for user: StoredUser) throws(PostgresError) -> StoredDevice? {
        let result = try connection.execute("""
            WITH created AS (
                INSERT INTO tc_devices (name, uniqueid, phone, model, contact, category, disabled, attributes)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (uniqueid) DO NOTHING RETURNING id),
            linked AS (INSERT INTO tc_user_device (userid, deviceid) SELECT $9, id FROM created)
            SELECT id FROM created
            """, deviceFields(device) + [String(user.id)], context: "create a device")
        guard let id = result.value(row: 0, column: 0).flatMap({ Int($0) }) else { return nil }
        return try devices(for: user, ids: [id]).first
    }

    /// Rewrites what a client may change of a device `user` sees; nil when it sees no such device.
    public func updateDevice(_ device: StoredDevice, for user: StoredUser) throws(PostgresError) -> StoredDevice? {
        guard try !devices(for: user, ids: [device.id]).isEmpty else { return nil }
        try connection.execute("""
            UPDATE tc_devices SET name = $1, uniqueid = $2, phone = $3, model = $4, contact = $5, category = $6,
                disabled = $7, attributes = $8 WHERE id = $9
            """, deviceFields(device) + [String(device.id)], context: "update a device")
        return try devices(for: user, ids: [device.id]).first
    }

    /// Deletes a device `user` sees, with its positions; false when it sees no such device.
    public func deleteDevice(id: Int, for user: StoredUser) throws(PostgresError) -> Bool {
        guard try !devices(for: user, ids: [id]).isEmpty else { return false }
        try connection.execute("DELETE FROM tc_devices WHERE id = $1", [String(id)], context: "delete a device")
        return true
    }

    private func deviceFields(_ device: StoredDevice) -> [String?] {
        [device.name, device.uniqueId, device.phone, device.model, device.contact, device.category,
         device.disabled ? "t" : "f", device.attributes]
    }
}
