import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct UserStoreTests {
    static func newUser(_ name: String, email: String? = nil) -> StoredUser {
        var user = StoredUser.newUser
        (user.name, user.email) = (name, email ?? name + "@example.com")
        return user
    }

    @Test func createStoresEveryFieldAndOnlyAHashOfThePassword() throws {
        let cast = try ThreeUsers()
        let store = UserStore(connection: cast.connection)
        let sent = StoredUser(id: 999, name: "Carol", email: "carol@example.com", login: "carol", administrator: true,
                              readonly: true, disabled: false,
                              expirationTime: Date(timeIntervalSince1970: 1_900_000_000), attributes: #"{"a":1}"#,
                              deviceLimit: 3)
        let created = try store.create(sent, password: "pa55")
        #expect(created.id != 999 && created.id > cast.bob.id, "the store picks the id")
        var expected = sent
        expected.id = created.id
        #expect(created == expected)
        #expect(try store.user(id: created.id) == expected)
        let hash = try #require(try TestDatabase.rows(cast.url, "SELECT hashedpassword FROM tc_users WHERE id = $1",
                                                      [String(created.id)]).first?[0])
        #expect(hash.hasPrefix("$2a$10$") && !hash.contains("pa55"))
        let accounts = AccountStore(connection: cast.connection)
        #expect(try accounts.authenticate(email: "CAROL", password: "pa55")?.id == created.id, "by login too")
        #expect(try accounts.authenticate(email: "carol@example.com", password: "pa5") == nil)
    }

    @Test func anEmailTakenInAnyCaseIsAConflict() throws {
        let cast = try ThreeUsers()
        do {
            _ = try UserStore(connection: cast.connection).create(Self.newUser("a", email: "ALICE@example.com"),
                                                                  password: "p")
            Issue.record("a second alice@example.com was stored")
        } catch {
            #expect(error.sqlState == "23505")
        }
        #expect(try TestDatabase.count(cast.url, "SELECT count(*) FROM tc_users") == 3)
    }

    @Test func anAdministratorSeesEveryoneByNameAndOthersOnlyThemselves() throws {
        let cast = try ThreeUsers()
        let store = UserStore(connection: cast.connection)
        let aaron = try store.create(Self.newUser("aaron"), password: "p")
        #expect(try store.users(for: cast.admin).map(\.name) == ["aaron", "admin", "alice", "bob"])
        #expect(try store.users(for: cast.bob) == [cast.bob])
        #expect(try store.users(for: aaron).map(\.id) == [aaron.id])
        #expect(try store.user(id: 2_147_483_648) == nil, "beyond integer: nothing, not an error")
    }

    @Test func updateRewritesTheFieldsAndThePasswordOnlyWhenOneIsGiven() throws {
        let cast = try ThreeUsers()
        let store = UserStore(connection: cast.connection)
        let accounts = AccountStore(connection: cast.connection)
        var alice = cast.alice
        (alice.name, alice.login, alice.readonly, alice.deviceLimit) = ("Alice B.", "ab", true, 0)
        alice.expirationTime = Date(timeIntervalSince1970: 1_900_000_000)
        #expect(try store.update(alice, password: nil) == alice)
        #expect(try store.user(id: alice.id) == alice)
        #expect(try accounts.authenticate(email: "ab", password: "secret") == alice, "the old password still works")

        #expect(try store.update(alice, password: "n3w") == alice)
        #expect(try accounts.authenticate(email: "ab", password: "secret") == nil)
        #expect(try accounts.authenticate(email: "ab", password: "n3w") == alice)
        #expect(try store.user(id: cast.bob.id) == cast.bob, "nobody else changed")

        var ghost = alice
        ghost.id = 123_456
        #expect(try store.update(ghost, password: "x") == nil)
        #expect(try TestDatabase.count(cast.url, "SELECT count(*) FROM tc_users") == 3)
    }

    @Test func deleteTakesTheUsersLinksAndSessionsButLeavesTheirDevices() throws {
        let cast = try ThreeUsers()
        let device = try #require(try TestDatabase.rows(cast.url, """
            INSERT INTO tc_devices (name, uniqueid) VALUES ('phone', '1') RETURNING id
            """).first?[0])
        let geofence = try GeofenceStore(connection: cast.connection)
            .create(StoredGeofence(name: "Home", area: "CIRCLE (60 30, 100)"), for: cast.alice)
        for user in [cast.alice, cast.bob] {
            _ = try TestDatabase.rows(cast.url, "INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2)",
                                      [String(user.id), device])
        }
        let accounts = AccountStore(connection: cast.connection)
        let token = try accounts.createSession(user: cast.alice, kind: "token", lifetime: 600)

        #expect(try UserStore(connection: cast.connection).delete(id: cast.alice.id))
        #expect(try TestDatabase.rows(cast.url, "SELECT userid FROM tc_user_device") == [[String(cast.bob.id)]])
        #expect(try TestDatabase.count(cast.url, "SELECT count(*) FROM tc_user_geofence") == 0)
        #expect(try TestDatabase.count(cast.url, "SELECT count(*) FROM it_sessions") == 0)
        #expect(try accounts.user(session: token, kind: "token") == nil)
        #expect(try TestDatabase.rows(cast.url, "SELECT id FROM tc_devices") == [[device]])
        #expect(try TestDatabase.rows(cast.url, "SELECT id FROM tc_geofences") == [[String(geofence.id)]])
        #expect(try UserStore(connection: cast.connection).delete(id: cast.alice.id) == false)
    }

    @Test func sqlMetacharactersAreStoredAsWritten() throws {
        let cast = try ThreeUsers()
        let store = UserStore(connection: cast.connection)
        var sneaky = Self.newUser("'; DROP TABLE tc_users; --", email: #"o'brien"\@example.com"#)
        sneaky.login = "x' OR '1'='1"
        sneaky.attributes = #"{"note":"$1; DELETE FROM tc_devices"}"#
        let created = try store.create(sneaky, password: "' OR ''='")
        #expect(try store.user(id: created.id)?.name == "'; DROP TABLE tc_users; --")
        #expect(try store.user(id: created.id)?.email == #"o'brien"\@example.com"#)
        #expect(try store.user(id: created.id)?.login == "x' OR '1'='1")
        #expect(try store.user(id: created.id)?.attributes == #"{"note":"$1; DELETE FROM tc_devices"}"#)
        #expect(try TestDatabase.count(cast.url, "SELECT count(*) FROM tc_users") == 4)
        let accounts = AccountStore(connection: cast.connection)
        #expect(try accounts.authenticate(email: "x' OR '1'='1", password: "' OR ''='")?.id == created.id)
        #expect(try accounts.authenticate(email: "x' OR '1'='1", password: "anything") == nil)
    }

    @Test func disabledAndExpiredUsersNeitherLogInNorKeepTheirSessions() throws {
        let cast = try ThreeUsers()
        let store = UserStore(connection: cast.connection)
        let accounts = AccountStore(connection: cast.connection)
        let aliceToken = try accounts.createSession(user: cast.alice, kind: "token", lifetime: 600)
        let bobSession = try accounts.createSession(user: cast.bob, kind: "session", lifetime: 600)
        #expect(try accounts.user(session: aliceToken, kind: "token") == cast.alice)

        var alice = cast.alice
        alice.disabled = true
        _ = try store.update(alice, password: nil)
        #expect(try accounts.authenticate(email: "alice@example.com", password: "secret") == nil)
        #expect(try accounts.user(session: aliceToken, kind: "token") == nil)

        var bob = cast.bob
        bob.expirationTime = Date().addingTimeInterval(-60)
        _ = try store.update(bob, password: nil)
        #expect(try accounts.authenticate(email: "bob@example.com", password: "secret") == nil)
        #expect(try accounts.user(session: bobSession, kind: "session") == nil)

        bob.expirationTime = Date().addingTimeInterval(3600)
        _ = try store.update(bob, password: nil)
        #expect(try accounts.authenticate(email: "bob@example.com", password: "secret")?.id == bob.id)
        #expect(try accounts.user(session: bobSession, kind: "session")?.id == bob.id,
                "an expiry in the future is fine")
    }
}
