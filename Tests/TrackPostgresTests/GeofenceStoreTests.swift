import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct GeofenceStoreTests {
    /// A fresh schema with an administrator, two ordinary users and two devices, the first linked to `alice`.
    struct Fixture {
        let url: String
        let store: GeofenceStore
        let admin: StoredUser
        let alice: StoredUser
        let bob: StoredUser
        let devices: [Int]

        init() throws {
            let users = try ThreeUsers()
            (url, admin, alice, bob) = (users.url, users.admin, users.alice, users.bob)
            let connection = users.connection
            devices = try TestDatabase.devices(url, [("phone", "1"), ("car", "2")])
            _ = try TestDatabase.rows(url, "INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2)",
                                  [String(alice.id), String(devices[0])])
            store = GeofenceStore(connection: connection)
        }

        func link(device: Int, geofence: Int) throws {
            _ = try TestDatabase.rows(url, "INSERT INTO tc_device_geofence (deviceid, geofenceid) VALUES ($1, $2)",
                                  [String(device), String(geofence)])
        }
    }

    static func circle(_ name: String, radius: Int = 100) -> StoredGeofence {
        StoredGeofence(name: name, area: "CIRCLE (60 30, \(radius))")
    }

    @Test func createStoresEveryFieldAndLinksTheCreator() throws {
        let f = try Fixture()
        let sent = StoredGeofence(id: 999, name: "Home", description: "the house", area: " circle(60 30,100)",
                                  attributes: #"{"floor":1}"#, calendarId: 5)
        let created = try f.store.create(sent, for: f.alice)
        #expect(created.id != 999 && created.id > 0, "the store picks the id")
        var expected = sent
        expected.id = created.id
        #expect(created == expected)
        #expect(try f.store.geofence(id: created.id, for: f.alice) == expected)
        #expect(try TestDatabase.rows(f.url, "SELECT userid, geofenceid FROM tc_user_geofence")
            == [[String(f.alice.id), String(created.id)]])

        let bare = try f.store.create(Self.circle("Bare"), for: f.alice)
        #expect(bare.description == nil && bare.calendarId == nil && bare.attributes == "{}")
        #expect(bare.traccarJSON == #"""
            {"id":\#(bare.id),"attributes":{},"calendarId":0,"name":"Bare","description":null,\#
            "area":"CIRCLE (60 30, 100)"}
            """#)
    }

    @Test func anAdministratorSeesEveryGeofenceAndOthersOnlyTheirOwn() throws {
        let f = try Fixture()
        let zoo = try f.store.create(Self.circle("Zoo"), for: f.alice)
        let home = try f.store.create(Self.circle("Home"), for: f.alice)
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)
        let depot = try f.store.create(Self.circle("Depot"), for: f.admin)

        #expect(try f.store.geofences(for: f.admin).map(\.id) == [barn, depot, home, zoo].map(\.id), "sorted by name")
        #expect(try f.store.geofences(for: f.alice).map(\.name) == ["Home", "Zoo"])
        #expect(try f.store.geofences(for: f.bob).map(\.name) == ["Barn"])
        #expect(try f.store.geofence(id: barn.id, for: f.admin) == barn)
        #expect(try f.store.geofence(id: barn.id, for: f.alice) == nil)
        #expect(try f.store.geofence(id: depot.id, for: f.bob) == nil)
    }

    @Test func idsSelectOnlyVisibleGeofences() throws {
        let f = try Fixture()
        let home = try f.store.create(Self.circle("Home"), for: f.alice)
        let zoo = try f.store.create(Self.circle("Zoo"), for: f.alice)
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)

        #expect(try f.store.geofences(for: f.alice, ids: [zoo.id, barn.id, 424_242]) == [zoo])
        #expect(try f.store.geofences(for: f.admin, ids: [zoo.id, barn.id]).map(\.id) == [barn.id, zoo.id])
        #expect(try f.store.geofences(for: f.alice, ids: [home.id]) == [home])
        // Ids past the integer columns' range find nothing rather than failing the statement.
        #expect(try f.store.geofences(for: f.admin, ids: [Int(Int32.max) + 1]) == [])
        #expect(try f.store.geofence(id: Int(Int64.max), for: f.admin) == nil)
    }

    @Test func aDeviceFilterGivesTheGeofencesLinkedToAVisibleDevice() throws {
        let f = try Fixture()
        let home = try f.store.create(Self.circle("Home"), for: f.alice)
        let zoo = try f.store.create(Self.circle("Zoo"), for: f.alice)
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)
        try f.link(device: f.devices[0], geofence: zoo.id)
        try f.link(device: f.devices[0], geofence: barn.id)
        try f.link(device: f.devices[1], geofence: home.id)

        #expect(try f.store.geofences(for: f.alice, deviceId: f.devices[0]) == [zoo], "bob's barn stays hidden")
        #expect(try f.store.geofences(for: f.admin, deviceId: f.devices[0]).map(\.name) == ["Barn", "Zoo"])
        #expect(try f.store.geofences(for: f.alice, deviceId: f.devices[1]) == [], "alice cannot see the car")
        #expect(try f.store.geofences(for: f.admin, deviceId: f.devices[1]) == [home])
        #expect(try f.store.geofences(for: f.admin, ids: [zoo.id, home.id], deviceId: f.devices[0]) == [zoo])
        #expect(try f.store.geofences(for: f.admin, deviceId: 424_242) == [])
    }

    @Test func updateChangesOnlyAVisibleGeofence() throws {
        let f = try Fixture()
        let home = try f.store.create(Self.circle("Home"), for: f.alice)
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)

        var moved = home
        moved.name = "New home"
        moved.description = "moved"
        moved.area = "POLYGON ((1 2, 3 4, 5 6))"
        moved.attributes = #"{"color":"red"}"#
        moved.calendarId = 3
        #expect(try f.store.update(moved, for: f.alice) == moved)
        #expect(try f.store.geofence(id: home.id, for: f.alice) == moved)

        var cleared = moved
        cleared.description = nil
        cleared.calendarId = nil
        #expect(try f.store.update(cleared, for: f.alice) == cleared, "nulls are written too")

        var stolen = barn
        stolen.name = "Mine now"
        #expect(try f.store.update(stolen, for: f.alice) == nil)
        #expect(try f.store.geofence(id: barn.id, for: f.bob) == barn, "bob's geofence is unchanged")
        var missing = barn
        missing.id = 424_242
        #expect(try f.store.update(missing, for: f.admin) == nil)

        stolen.name = "Admin's edit"
        #expect(try f.store.update(stolen, for: f.admin) == stolen)
        #expect(try f.store.geofences(for: f.bob) == [stolen], "an administrator's edit keeps the owner's link")
    }

    @Test func deleteRemovesOnlyAVisibleGeofenceWithItsLinks() throws {
        let f = try Fixture()
        let home = try f.store.create(Self.circle("Home"), for: f.alice)
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)
        try f.link(device: f.devices[0], geofence: home.id)

        #expect(try f.store.delete(id: barn.id, for: f.alice) == false)
        #expect(try f.store.geofences(for: f.bob) == [barn])
        #expect(try f.store.delete(id: home.id, for: f.alice))
        #expect(try f.store.delete(id: home.id, for: f.alice) == false, "already gone")
        #expect(try f.store.geofences(for: f.admin) == [barn])
        #expect(try TestDatabase.count(f.url, "SELECT count(*) FROM tc_device_geofence") == 0)
        #expect(try TestDatabase.count(f.url, "SELECT count(*) FROM tc_user_geofence WHERE geofenceid = $1",
                                       [String(home.id)]) == 0)
        #expect(try f.store.delete(id: barn.id, for: f.admin))
        #expect(try f.store.geofences(for: f.bob) == [])
    }

    /// Quotes, backslashes, placeholders and SQL comments are data: stored and returned byte for byte.
    @Test func sqlMetacharactersAreStoredVerbatim() throws {
        let f = try Fixture()
        let name = #"Robert'); DROP TABLE tc_geofences;-- "\ %_ $1 ü"#
        let description = #"' OR '1'='1' /* \x00 */"#
        let attributes = #"{"note":"it's \"quoted\" \\ $2"}"#
        let created = try f.store.create(
            StoredGeofence(name: name, description: description, area: "CIRCLE (60 30, 100)", attributes: attributes),
            for: f.alice)
        #expect(created.name == name && created.description == description && created.attributes == attributes)
        #expect(try f.store.geofences(for: f.alice) == [created])
        #expect(try TestDatabase.count(f.url, "SELECT count(*) FROM tc_geofences") == 1)

        var renamed = created
        renamed.name = "'; DELETE FROM tc_user_geofence; --"
        #expect(try f.store.update(renamed, for: f.alice) == renamed)
        #expect(try f.store.geofences(for: f.alice) == [renamed])
    }

    @Test func aDeletedUsersGeofencesRemainForAdministrators() throws {
        let f = try Fixture()
        let barn = try f.store.create(Self.circle("Barn"), for: f.bob)
        _ = try TestDatabase.rows(f.url, "DELETE FROM tc_users WHERE id = $1", [String(f.bob.id)])
        #expect(try f.store.geofences(for: f.bob) == [])
        #expect(try f.store.geofences(for: f.admin) == [barn])
    }
}
