import Foundation
import Testing
import TrackWire

@testable import itrack

/// `/api/geofences`: each user's own, the filters, and creating, editing and deleting them.
@Suite struct APIGeofenceRouterTests {
    /// `Fleet` with geofences: walker's `Home` (linked to the device `a-walk`) and `Gym`, runner's `Office`
    /// (linked to `run`), and `Park`, which no user is linked to.
    struct Places {
        let fleet: Fleet
        let home: Int, gym: Int, office: Int, park: Int

        init() throws {
            fleet = try Fleet()
            let router = fleet.router
            home = try router.geofence("Home", owners: [fleet.walker])
            office = try router.geofence("Office", area: "POLYGON ((52.5 13.4, 52.6 13.4, 52.6 13.5))",
                                         owners: [fleet.runner])
            park = try router.geofence("Park", owners: [])
            gym = try router.geofence("Gym", owners: [fleet.walker])
            for (device, geofence) in [(fleet.aWalk, home), (fleet.run, office)] {
                _ = try router.sql("INSERT INTO tc_device_geofence (deviceid, geofenceid) VALUES ($1, $2)",
                                   [String(device), String(geofence)])
            }
        }
    }

    func names(_ response: HTTPResponse) throws -> [String?] {
        try APIRouter.column("name", of: response, as: String.self)
    }

    @Test func aUserListsTheirOwnGeofencesByNameAndAnAdministratorEveryOne() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        let walkers = router.call("GET", "/api/geofences", fleet.walker.basic)
        #expect(walkers.status == 200 && walkers.headers["Content-Type"] == "application/json")
        #expect(try names(walkers) == ["Gym", "Home"])
        for geofence in try APIRouter.array(walkers) { TraccarShape.expect(geofence, is: TraccarShape.geofence) }
        let home = router.call("GET", "/api/geofences/\(places.home)", fleet.walker.basic)
        #expect(APIRouter.text(home) == #"{"id":\#(places.home),"attributes":{},"calendarId":0,"name":"Home","#
                + #""description":null,"area":"CIRCLE (52.5 13.4, 100)"}"#)
        #expect(try names(router.call("GET", "/api/geofences", fleet.runner.basic)) == ["Office"])
        #expect(try names(router.call("GET", "/api/geofences", fleet.root.basic)) == ["Gym", "Home", "Office", "Park"])
        #expect(try names(router.call("GET", "/api/geofences?all=true", fleet.walker.basic)) == ["Gym", "Home"])
    }

    @Test func idAndDeviceIdFilterWithinWhatTheUserSees() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        let auth = fleet.walker.basic
        #expect(try names(router.call("GET", "/api/geofences?id=\(places.gym)", auth)) == ["Gym"])
        #expect(try names(router.call("GET", "/api/geofences?id=\(places.gym)&id=\(places.home)", auth))
                == ["Gym", "Home"])
        #expect(try names(router.call("GET", "/api/geofences?deviceId=\(fleet.aWalk)", auth)) == ["Home"])
        #expect(try names(router.call("GET", "/api/geofences?deviceId=\(fleet.bWalk)", auth)) == [])
        for other in ["id=\(places.office)", "id=\(places.park)", "deviceId=\(fleet.run)", "id=999999"] {
            let response = router.call("GET", "/api/geofences?\(other)", auth)
            #expect(response.status == 200 && APIRouter.text(response) == "[]", "\(other)")
        }
        #expect(try names(router.call("GET", "/api/geofences?deviceId=\(fleet.run)", fleet.root.basic)) == ["Office"])
    }

    @Test func oneGeofenceIsFoundOnlyByWhoSeesIt() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        #expect(router.call("GET", "/api/geofences/\(places.gym)", fleet.walker.basic).status == 200)
        for other in [places.office, places.park, 999_999] {
            #expect(router.call("GET", "/api/geofences/\(other)", fleet.walker.basic).status == 404, "\(other)")
        }
        let office = try APIRouter.object(router.call("GET", "/api/geofences/\(places.office)", fleet.root.basic))
        #expect(office["area"] as? String == "POLYGON ((52.5 13.4, 52.6 13.4, 52.6 13.5))")
    }

    @Test func aCreatedGeofenceBelongsToItsCreatorOnly() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        let created = router.call("POST", "/api/geofences", fleet.walker.basic, json: """
            {"id":\(places.office),"name":"School","description":"Mon–Fri","calendarId":0,
             "area":"LINESTRING (52.5 13.4, 52.6 13.5)","attributes":{"polylineDistance":40.0,"color":"blue"}}
            """)
        #expect(created.status == 200 && created.headers["Content-Type"] == "application/json")
        let geofence = try APIRouter.object(created)
        TraccarShape.expect(geofence, is: TraccarShape.geofence, except: ["description": .string])
        let id = try #require(geofence["id"] as? Int)
        #expect(id != places.office && id > places.gym, "a new id, whatever the body says")
        #expect(geofence["name"] as? String == "School" && geofence["description"] as? String == "Mon–Fri")
        #expect(geofence["area"] as? String == "LINESTRING (52.5 13.4, 52.6 13.5)")
        #expect(geofence["calendarId"] as? Int == 0)
        let attributes = try #require(geofence["attributes"] as? [String: Any])
        #expect(attributes["color"] as? String == "blue" && attributes["polylineDistance"] as? Double == 40)

        #expect(try router.sql("SELECT userid FROM tc_user_geofence WHERE geofenceid = $1", [String(id)])
                == [[String(fleet.walker.id)]])
        #expect(try names(router.call("GET", "/api/geofences", fleet.walker.basic)) == ["Gym", "Home", "School"])
        #expect(try names(router.call("GET", "/api/geofences", fleet.runner.basic)) == ["Office"])
        #expect(router.call("GET", "/api/geofences/\(id)", fleet.walker.basic).body == created.body)
        #expect(try router.sql("SELECT name FROM tc_geofences WHERE id = $1", [String(places.office)]) == [["Office"]])
    }

    @Test func aUserEditsOnlyTheirOwnGeofences() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        let edited = router.call("PUT", "/api/geofences/\(places.gym)", fleet.walker.basic,
                                 json: #"{"id":\#(places.office),"name":"Pool","area":"CIRCLE (52.4 13.3, 50.5)"}"#)
        #expect(edited.status == 200)
        let geofence = try APIRouter.object(edited)
        TraccarShape.expect(geofence, is: TraccarShape.geofence)
        #expect(geofence["id"] as? Int == places.gym, "the path's id, not the body's")
        #expect(geofence["name"] as? String == "Pool" && geofence["area"] as? String == "CIRCLE (52.4 13.3, 50.5)")
        #expect(router.call("GET", "/api/geofences/\(places.gym)", fleet.walker.basic).body == edited.body)

        for other in [places.office, places.park, 999_999] {
            let refused = router.call("PUT", "/api/geofences/\(other)", fleet.walker.basic,
                                      json: #"{"name":"Mine now","area":"CIRCLE (1 2, 3)"}"#)
            #expect(refused.status == 404, "\(other)")
        }
        #expect(try router.sql("SELECT name, area FROM tc_geofences ORDER BY id") == [
            ["Home", "CIRCLE (52.5 13.4, 100)"], ["Office", "POLYGON ((52.5 13.4, 52.6 13.4, 52.6 13.5))"],
            ["Park", "CIRCLE (52.5 13.4, 100)"], ["Pool", "CIRCLE (52.4 13.3, 50.5)"],
        ])
        let byAdmin = router.call("PUT", "/api/geofences/\(places.park)", fleet.root.basic,
                                  json: #"{"name":"Big park","area":"CIRCLE (52.5 13.4, 900)"}"#)
        #expect(try byAdmin.status == 200 && APIRouter.object(byAdmin)["name"] as? String == "Big park")
    }

    @Test func aUserDeletesOnlyTheirOwnGeofencesWithTheirLinks() throws {
        let places = try Places()
        let (router, fleet) = (places.fleet.router, places.fleet)
        for other in [places.office, places.park, 999_999] {
            #expect(router.call("DELETE", "/api/geofences/\(other)", fleet.walker.basic).status == 404, "\(other)")
        }
        let deleted = router.call("DELETE", "/api/geofences/\(places.home)", fleet.walker.basic)
        #expect(deleted.status == 204 && deleted.body.isEmpty)
        #expect(try router.sql("SELECT name FROM tc_geofences ORDER BY id") == [["Office"], ["Park"], ["Gym"]])
        #expect(try router.sql("SELECT geofenceid FROM tc_device_geofence") == [[String(places.office)]])
        #expect(try router.sql("SELECT geofenceid FROM tc_user_geofence WHERE userid = $1", [String(fleet.walker.id)])
                == [[String(places.gym)]])
        #expect(router.call("DELETE", "/api/geofences/\(places.home)", fleet.walker.basic).status == 404)
        #expect(router.call("DELETE", "/api/geofences/\(places.park)", fleet.root.basic).status == 204)
    }

    @Test func aReadOnlyUserReadsButNeverWrites() throws {
        let places = try Places()
        let router = places.fleet.router
        let viewer = try router.user("viewer", readonly: true)
        _ = try router.sql("INSERT INTO tc_user_geofence (userid, geofenceid) VALUES ($1, $2)",
                           [String(viewer.id), String(places.home)])
        #expect(try names(router.call("GET", "/api/geofences", viewer.basic)) == ["Home"])
        let body = #"{"name":"x","area":"CIRCLE (1 2, 3)"}"#
        #expect(router.call("POST", "/api/geofences", viewer.basic, json: body).status == 403)
        #expect(router.call("PUT", "/api/geofences/\(places.home)", viewer.basic, json: body).status == 403)
        #expect(router.call("DELETE", "/api/geofences/\(places.home)", viewer.basic).status == 403)
        #expect(try router.sql("SELECT name FROM tc_geofences ORDER BY id")
                == [["Home"], ["Office"], ["Park"], ["Gym"]])
    }
}
