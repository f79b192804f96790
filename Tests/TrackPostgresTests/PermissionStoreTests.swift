import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct PermissionStoreTests {
    /// The three users, devices `phone` (linked to alice) and `car` (nobody's), geofences `Home` (alice's) and
    /// `Barn` (bob's).
    struct Fixture {
        let cast: ThreeUsers
        let store: PermissionStore
        let phone: Int
        let car: Int
        let home: Int
        let barn: Int

        init() throws {
            cast = try ThreeUsers()
            let devices = try TestDatabase.devices(cast.url, [("phone", "1"), ("car", "2")])
            (phone, car) = (devices[0], devices[1])
            _ = try TestDatabase.rows(cast.url, "INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2)",
                                      [String(cast.alice.id), String(phone)])
            let geofences = GeofenceStore(connection: cast.connection)
            home = try geofences.create(StoredGeofence(name: "Home", area: "CIRCLE (60 30, 100)"), for: cast.alice).id
            barn = try geofences.create(StoredGeofence(name: "Barn", area: "CIRCLE (61 31, 100)"), for: cast.bob).id
            store = PermissionStore(connection: cast.connection)
        }

        func links(_ table: String) throws -> [[String?]] {
            try TestDatabase.rows(cast.url, "SELECT * FROM \(table) ORDER BY 1, 2")
        }
    }

    @Test func anAdministratorLinksAndUnlinksEveryKindOnce() throws {
        let f = try Fixture()
        let admin = f.cast.admin
        let bob = String(f.cast.bob.id)
        #expect(try f.store.link(.userDevice(userId: f.cast.bob.id, deviceId: f.car), for: admin))
        #expect(try f.store.link(.userDevice(userId: f.cast.bob.id, deviceId: f.car), for: admin), "again: no change")
        #expect(try f.links("tc_user_device") == [[String(f.cast.alice.id), String(f.phone)], [bob, String(f.car)]])
        #expect(try f.store.link(.userGeofence(userId: f.cast.bob.id, geofenceId: f.home), for: admin))
        #expect(try f.links("tc_user_geofence").filter { $0[0] == bob }.map { $0[1] }
            == [f.barn, f.home].sorted().map(String.init))
        #expect(try f.store.link(.deviceGeofence(deviceId: f.car, geofenceId: f.barn), for: admin))
        #expect(try f.links("tc_device_geofence") == [[String(f.car), String(f.barn)]])

        #expect(try f.store.unlink(.userDevice(userId: f.cast.bob.id, deviceId: f.car), for: admin))
        #expect(try f.store.unlink(.userDevice(userId: f.cast.bob.id, deviceId: f.car), for: admin), "again: no change")
        #expect(try f.links("tc_user_device") == [[String(f.cast.alice.id), String(f.phone)]])
        #expect(try f.store.unlink(.userGeofence(userId: f.cast.bob.id, geofenceId: f.home), for: admin))
        #expect(try f.links("tc_user_geofence").filter { $0[0] == bob }.map { $0[1] } == [String(f.barn)])
        #expect(try f.store.unlink(.deviceGeofence(deviceId: f.car, geofenceId: f.barn), for: admin))
        #expect(try f.links("tc_device_geofence") == [])
    }

    @Test func anEndThatDoesNotExistLinksNothing() throws {
        let f = try Fixture()
        let admin = f.cast.admin
        #expect(try f.store.link(.userDevice(userId: 9999, deviceId: f.car), for: admin) == false)
        #expect(try f.store.link(.userDevice(userId: f.cast.bob.id, deviceId: 9999), for: admin) == false)
        #expect(try f.store.link(.deviceGeofence(deviceId: f.car, geofenceId: 9999), for: admin) == false)
        #expect(try f.store.link(.userGeofence(userId: 3_000_000_000, geofenceId: f.home), for: admin) == false,
                "beyond integer: nothing, not an error")
        #expect(try f.store.unlink(.userDevice(userId: 9999, deviceId: f.phone), for: admin) == false)
        #expect(try f.links("tc_user_device") == [[String(f.cast.alice.id), String(f.phone)]])
        #expect(try f.links("tc_device_geofence") == [])
    }

    @Test func aUserLinksOnlyTheirOwnDevicesAndGeofencesAndNeverAUser() throws {
        let f = try Fixture()
        let alice = f.cast.alice
        #expect(try f.store.link(.deviceGeofence(deviceId: f.phone, geofenceId: f.home), for: alice))
        #expect(try f.store.link(.deviceGeofence(deviceId: f.phone, geofenceId: f.barn), for: alice) == false,
                "bob's geofence")
        #expect(try f.store.link(.deviceGeofence(deviceId: f.car, geofenceId: f.home), for: alice) == false,
                "nobody's device")
        #expect(try f.store.link(.userDevice(userId: alice.id, deviceId: f.car), for: alice) == false,
                "giving herself a device")
        #expect(try f.store.link(.userGeofence(userId: alice.id, geofenceId: f.barn), for: alice) == false)
        #expect(try f.links("tc_device_geofence") == [[String(f.phone), String(f.home)]])
        #expect(try f.links("tc_user_device") == [[String(alice.id), String(f.phone)]])

        #expect(try f.store.unlink(.deviceGeofence(deviceId: f.phone, geofenceId: f.home), for: f.cast.bob) == false)
        #expect(try f.links("tc_device_geofence") == [[String(f.phone), String(f.home)]], "bob cannot see either end")
        #expect(try f.store.unlink(.userDevice(userId: alice.id, deviceId: f.phone), for: alice) == false)
        #expect(try f.store.unlink(.deviceGeofence(deviceId: f.phone, geofenceId: f.home), for: alice))
        #expect(try f.links("tc_device_geofence") == [])
    }
}
