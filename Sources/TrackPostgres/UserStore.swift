import Foundation
import TrackCore

/// Users as the API lists, creates, edits and deletes them. Who may do which is the caller's to decide; this
/// only stores.
///
/// Passwords are hashed by pgcrypto inside the statement (`crypt` with a bcrypt salt of cost 10, as
/// `AccountStore.createUser`), so the plain text is never kept. Ids are compared as `bigint`, so an id beyond
/// the `integer` column's range finds nothing instead of failing.
public struct UserStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The users `user` may see, sorted by name as Traccar sorts them: everyone for an administrator, only
    /// themselves for anyone else.
    public func users(for user: StoredUser) throws(PostgresError) -> [StoredUser] {
        StoredUser.rows(try connection.execute("""
            SELECT \(StoredUser.columns) FROM tc_users WHERE $1::boolean OR id = $2::bigint ORDER BY name, id
            """, [user.administrator ? "t" : "f", String(user.id)], context: "read users"))
    }

    /// The user with this id.
    public func user(id: Int) throws(PostgresError) -> StoredUser? {
        StoredUser.rows(try connection.execute("""
            SELECT \(StoredUser.columns) FROM tc_users WHERE id = $1::bigint
            """, [String(id)], context: "read a user")).first
    }

    /// Stores `user` under a new id (its own `id` is ignored) with a hash of `password`; returns it as stored.
    /// An email already taken, in any case, fails with SQLSTATE 23505.
    public func create(_ user: StoredUser, password: String) throws(PostgresError) -> StoredUser {
        let created = StoredUser.rows(try connection.execute("""
            INSERT INTO tc_users (name, email, login, administrator, readonly, disabled, expirationtime, attributes,
                                  devicelimit, hashedpassword)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, crypt($10, gen_salt('bf', 10)))
            RETURNING \(StoredUser.columns)
            """, Self.fields(user) + [password], context: "create a user")).first
        guard let created else {
            throw PostgresError(code: .statement, context: "create a user", message: "no row returned")
        }
        return created
    }

    /// Rewrites the user with `user.id`, and its password when `password` is given; nil, changing nothing,
    /// when there is no such user.
    public func update(_ user: StoredUser, password: String?) throws(PostgresError) -> StoredUser? {
        // crypt() is strict: a null password leaves the hash as it is.
        StoredUser.rows(try connection.execute("""
            UPDATE tc_users SET name = $1, email = $2, login = $3, administrator = $4, readonly = $5, disabled = $6,
                expirationtime = $7, attributes = $8, devicelimit = $9,
                hashedpassword = coalesce(crypt($10, gen_salt('bf', 10)), hashedpassword)
            WHERE id = $11::bigint
            RETURNING \(StoredUser.columns)
            """, Self.fields(user) + [password, String(user.id)], context: "update a user")).first
    }

    /// Deletes the user with this id, with their sessions and their links to devices and geofences (the
    /// devices and geofences stay); false when there is no such user.
    public func delete(id: Int) throws(PostgresError) -> Bool {
        try connection.execute("DELETE FROM tc_users WHERE id = $1::bigint", [String(id)], context: "delete a user")
            .affectedRows > 0
    }

    /// name, email, login, administrator, readonly, disabled, expirationtime, attributes, devicelimit.
    private static func fields(_ user: StoredUser) -> [String?] {
        [user.name, user.email, user.login, user.administrator ? "t" : "f", user.readonly ? "t" : "f",
         user.disabled ? "t" : "f", user.expirationTime.map(PostgresText.timestamp),
         user.attributes.isEmpty ? "{}" : user.attributes, String(user.deviceLimit)]
    }
}
