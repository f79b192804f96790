import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct EventStoreTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15 15:06:40 UTC

    /// A fresh schema with an administrator, `alice` owning the phone and the watch, `bob` owning the car.
    struct Fixture {
        let url: String
        let store: EventStore
        let admin: StoredUser
        let alice: StoredUser
        let bob: StoredUser
        let phone: Int
        let watch: Int
        let car: Int

        init() throws {
            let users = try ThreeUsers()
            (url, admin, alice, bob) = (users.url, users.admin, users.alice, users.bob)
            let connection = users.connection
            // Inserted so that id order differs from name order: the report is ordered by device id.
            let ids = try TestDatabase.devices(url, [("watch", "w"), ("phone", "p"), ("car", "c")])
            (watch, phone, car) = (ids[0], ids[1], ids[2])
            _ = try TestDatabase.rows(url, """
                INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2), ($1, $3), ($4, $5)
                """, [String(alice.id), String(phone), String(watch), String(bob.id), String(car)])
            store = EventStore(connection: connection)
        }

        /// Stores an event `seconds` after `start`; returns it as the store should read it back.
        @discardableResult
        func insert(_ type: String, device: Int?, at seconds: Double, position: Int64 = 0, geofence: Int? = nil,
                    attributes: String = "{}") throws -> StoredEvent {
            let time = EventStoreTests.start + seconds
            let id = try TestDatabase.rows(url, """
                INSERT INTO tc_events (type, eventtime, deviceid, positionid, geofenceid, attributes)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
                """, [type, PostgresText.timestamp(time), device.map(String.init), String(position),
                      geofence.map(String.init), attributes])[0][0].flatMap { Int64($0) } ?? 0
            return StoredEvent(id: id, type: type, eventTime: time, deviceId: device ?? 0, positionId: position,
                               geofenceId: geofence ?? 0, attributes: attributes)
        }

        func events(for user: StoredUser, _ deviceIds: [Int] = [], from: Double = -3600, to: Double = 3600,
                    types: [String] = []) throws -> [StoredEvent] {
            try store.events(for: user, deviceIds: deviceIds, from: EventStoreTests.start + from,
                             to: EventStoreTests.start + to, types: types)
        }
    }

    @Test func eventsComeOrderedByDeviceThenTimeWithEveryField() throws {
        let f = try Fixture()
        let exit = try f.insert("geofenceExit", device: f.phone, at: 30, position: 44, geofence: 3)
        let enter = try f.insert("geofenceEnter", device: f.phone, at: 0.25, position: 42, geofence: 3)
        let alarm = try f.insert("alarm", device: f.phone, at: 20, position: 43, attributes: #"{"alarm":"sos"}"#)
        let stopped = try f.insert("deviceStopped", device: f.watch, at: 5)
        let moving = try f.insert("deviceMoving", device: f.car, at: 1)

        let all = try f.events(for: f.admin)
        #expect(all == [stopped, enter, alarm, exit, moving], "watch (first id), phone, car; each by event time")
        #expect(all[1].traccarJSON == #"""
            {"id":\#(enter.id),"attributes":{},"deviceId":\#(f.phone),"type":"geofenceEnter",\#
            "eventTime":"2025-06-15T15:06:40.250+00:00","positionId":42,"geofenceId":3,"maintenanceId":0}
            """#)
        #expect(try f.events(for: f.admin, [f.car, f.phone]) == [enter, alarm, exit, moving],
                "the order of the requested ids does not matter")
    }

    @Test func aUserSeesOnlyTheirDevicesEvents() throws {
        let f = try Fixture()
        let phone = try f.insert("deviceOnline", device: f.phone, at: 0)
        let watch = try f.insert("deviceOnline", device: f.watch, at: 0)
        let car = try f.insert("deviceOnline", device: f.car, at: 0)

        #expect(try f.events(for: f.alice) == [watch, phone])
        #expect(try f.events(for: f.bob) == [car])
        #expect(try f.events(for: f.alice, [f.car]) == [], "another user's device is left out, not an error")
        #expect(try f.events(for: f.alice, [f.car, f.phone, 424_242]) == [phone])
        #expect(try f.events(for: f.bob, [f.phone, f.watch]) == [])
        #expect(try f.events(for: f.admin, [f.car]) == [car])
        // An id beyond the integer column's range finds nothing rather than failing the statement.
        #expect(try f.events(for: f.admin, [Int(Int32.max) + 1]) == [])
    }

    @Test func anEventWithoutADeviceIsInNoReport() throws {
        let f = try Fixture()
        let orphan = try f.insert("deviceUnknown", device: nil, at: 0)
        #expect(try f.events(for: f.admin) == [])
        #expect(try f.store.event(id: orphan.id, for: f.admin) == orphan, "but an administrator can fetch it by id")
        #expect(try f.store.event(id: orphan.id, for: f.alice) == nil)
    }

    @Test func typesFilterAndAllEventsMeansEveryType() throws {
        let f = try Fixture()
        let enter = try f.insert("geofenceEnter", device: f.phone, at: 0, geofence: 1)
        let alarm = try f.insert("alarm", device: f.phone, at: 10)
        let exit = try f.insert("geofenceExit", device: f.phone, at: 20, geofence: 1)

        #expect(try f.events(for: f.alice, types: ["geofenceExit", "geofenceEnter"]) == [enter, exit])
        #expect(try f.events(for: f.alice, types: ["alarm"]) == [alarm])
        #expect(try f.events(for: f.alice, types: ["ignitionOn"]) == [])
        #expect(try f.events(for: f.alice, types: ["GEOFENCEENTER"]) == [], "types match exactly, as in Traccar")
        #expect(try f.events(for: f.alice, types: []) == [enter, alarm, exit])
        #expect(try f.events(for: f.alice, types: ["allEvents"]) == [enter, alarm, exit])
        #expect(try f.events(for: f.alice, types: ["alarm", "allEvents"]) == [enter, alarm, exit])
    }

    @Test func theTimeRangeIncludesBothEnds() throws {
        let f = try Fixture()
        let before = try f.insert("deviceOnline", device: f.phone, at: 9.5)
        let first = try f.insert("deviceMoving", device: f.phone, at: 10)
        let middle = try f.insert("alarm", device: f.phone, at: 15)
        let last = try f.insert("deviceStopped", device: f.phone, at: 20)
        let after = try f.insert("deviceOffline", device: f.phone, at: 20.5)

        #expect(try f.events(for: f.alice, from: 10, to: 20) == [first, middle, last])
        #expect(try f.events(for: f.alice, from: 10.5, to: 19.5) == [middle])
        #expect(try f.events(for: f.alice, from: 15, to: 15) == [middle])
        #expect(try f.events(for: f.alice, from: 20, to: 10) == [], "a reversed range is empty")
        #expect(try f.events(for: f.alice, from: 0, to: 30) == [before, first, middle, last, after])
    }

    @Test func oneEventByIdOnlyForItsDevicesUsers() throws {
        let f = try Fixture()
        let phone = try f.insert("alarm", device: f.phone, at: 0, position: 7, attributes: #"{"alarm":"sos"}"#)
        let car = try f.insert("alarm", device: f.car, at: 0)

        #expect(try f.store.event(id: phone.id, for: f.alice) == phone)
        #expect(try f.store.event(id: car.id, for: f.alice) == nil)
        #expect(try f.store.event(id: phone.id, for: f.bob) == nil)
        #expect(try f.store.event(id: car.id, for: f.admin) == car)
        #expect(try f.store.event(id: 424_242, for: f.admin) == nil)
        #expect(try f.store.event(id: .max, for: f.admin) == nil)
    }

    /// Quotes, backslashes, commas and braces survive the array parameter and the round trip unchanged.
    @Test func sqlAndArrayMetacharactersInTypesAreData() throws {
        let f = try Fixture()
        let odd = #"x'); DROP TABLE tc_events;-- a,"b"\c {d} NULL"#
        let event = try f.insert(odd, device: f.phone, at: 0, attributes: #"{"q":"it's"}"#)
        let plain = try f.insert("alarm", device: f.phone, at: 1)

        #expect(try f.events(for: f.alice, types: [odd]) == [event])
        #expect(try f.events(for: f.alice, types: ["NULL"]) == [])
        #expect(try f.events(for: f.alice, types: ["x'); DROP TABLE tc_events;-- a"]) == [])
        #expect(try f.events(for: f.alice) == [event, plain])
        #expect(try TestDatabase.count(f.url, "SELECT count(*) FROM tc_events") == 2)
    }
}
