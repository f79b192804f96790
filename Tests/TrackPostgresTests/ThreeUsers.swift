import TestSupport
import TrackCore
import TrackPostgres

/// A fresh schema with an administrator and two ordinary users, `alice` and `bob` (password `secret`): the
/// cast of the permission tests.
struct ThreeUsers {
    let url: String
    let connection: PostgresConnection
    let admin: StoredUser
    let alice: StoredUser
    let bob: StoredUser

    init() throws {
        url = try TestDatabase.createMigrated()
        connection = try PostgresConnection(url: url)
        let accounts = AccountStore(connection: connection)
        func user(_ name: String, administrator: Bool = false) throws -> StoredUser {
            try accounts.createUser(name: name, email: name + "@example.com", password: "secret",
                                    administrator: administrator)
        }
        (admin, alice, bob) = (try user("admin", administrator: true), try user("alice"), try user("bob"))
    }
}
