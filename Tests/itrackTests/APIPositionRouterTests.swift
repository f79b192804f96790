import Foundation
import Testing
import TrackWire

@testable import itrack

/// `/api/positions`: each device's latest, by device, by id, and a device's history — never another user's.
@Suite struct APIPositionRouterTests {
    func fixTimes(_ response: HTTPResponse) throws -> [String?] {
        try APIRouter.column("fixTime", of: response, as: String.self)
    }

    /// The ids of the positions `GET /api/positions?<query>` answers `user`, in the order given.
    func positions(_ router: APIRouter, _ query: String, as user: APIRouter.User) throws -> [Int?] {
        try APIRouter.ids(router.call("GET", "/api/positions?\(query)", user.basic))
    }

    @Test func withoutParametersEachVisibleDeviceGivesItsLatestPosition() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let older = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        let latest = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        let ofB = try router.position(device: fleet.bWalk, fixTime: "2026-03-01 08:00:00")
        let ofRun = try router.position(device: fleet.run, fixTime: "2026-03-01 11:00:00")
        let ofSpare = try router.position(device: fleet.spare, fixTime: "2026-03-01 12:00:00")

        let walkers = router.call("GET", "/api/positions", fleet.walker.basic)
        #expect(walkers.status == 200 && walkers.headers["Content-Type"] == "application/json")
        #expect(try Set(APIRouter.ids(walkers)) == [Int(latest), Int(ofB)], "not \(older), nor another user's")
        for position in try APIRouter.array(walkers) { TraccarShape.expect(position, is: TraccarShape.position) }
        let position = try #require(try APIRouter.array(walkers).first { $0["id"] as? Int == Int(latest) })
        #expect(position["deviceId"] as? Int == fleet.aWalk && position["protocol"] as? String == "osmand")
        #expect(position["serverTime"] as? String == "2026-03-01T10:00:01.000+00:00")
        #expect(position["deviceTime"] as? String == "2026-03-01T10:00:00.000+00:00")
        #expect(position["fixTime"] as? String == "2026-03-01T10:00:00.000+00:00")
        #expect(position["valid"] as? Bool == true && position["latitude"] as? Double == 52.5)
        #expect(position["longitude"] as? Double == 13.4 && position["altitude"] as? Double == 35.5)
        #expect(position["speed"] as? Double == 3.25 && position["course"] as? Double == 90)
        #expect(position["accuracy"] as? Double == 8)
        #expect((position["attributes"] as? [String: Any])?["batteryLevel"] as? Double == 87)

        #expect(try positions(router, "", as: fleet.runner) == [Int(ofRun)])
        #expect(try Set(positions(router, "", as: fleet.root)) == [Int(latest), Int(ofB), Int(ofRun), Int(ofSpare)])
        let nobody = try router.user("nobody")
        #expect(APIRouter.text(router.call("GET", "/api/positions", nobody.basic)) == "[]")
    }

    @Test func aPositionIsTraccarsJSONFieldForField() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let id = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        let response = router.call("GET", "/api/positions?id=\(id)", fleet.walker.basic)
        #expect(APIRouter.text(response) == #"[{"id":\#(id),"attributes":{"batteryLevel":87.0},"#
                + #""deviceId":\#(fleet.aWalk),"protocol":"osmand","serverTime":"2026-03-01T10:00:01.000+00:00","#
                + #""deviceTime":"2026-03-01T10:00:00.000+00:00","fixTime":"2026-03-01T10:00:00.000+00:00","#
                + #""valid":true,"latitude":52.5,"longitude":13.4,"altitude":35.5,"speed":3.25,"course":90.0,"#
                + #""address":null,"accuracy":8.0,"network":null,"geofenceIds":null}]"#)
    }

    @Test func deviceIdGivesThatDevicesLatestOnlyWhenTheUserSeesIt() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        let latest = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        let ofB = try router.position(device: fleet.bWalk, fixTime: "2026-03-01 08:00:00")
        let ofRun = try router.position(device: fleet.run, fixTime: "2026-03-01 11:00:00")
        #expect(try positions(router, "deviceId=\(fleet.aWalk)", as: fleet.walker) == [Int(latest)])
        #expect(try Set(positions(router, "deviceId=\(fleet.aWalk)&deviceId=\(fleet.bWalk)", as: fleet.walker))
                == [Int(latest), Int(ofB)])
        for other in [fleet.run, fleet.spare, 999_999] {
            let response = router.call("GET", "/api/positions?deviceId=\(other)", fleet.walker.basic)
            #expect(response.status == 200 && APIRouter.text(response) == "[]", "\(other)")
        }
        #expect(try positions(router, "deviceId=\(fleet.run)", as: fleet.root) == [Int(ofRun)])
    }

    @Test func idGivesThosePositionsOnlyOfVisibleDevices() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let older = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        let latest = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        let ofRun = try router.position(device: fleet.run, fixTime: "2026-03-01 11:00:00")
        #expect(try positions(router, "id=\(older)", as: fleet.walker) == [Int(older)])
        #expect(try positions(router, "id=\(latest)&id=\(older)", as: fleet.walker) == [Int(older), Int(latest)])
        #expect(try positions(router, "id=\(older)&id=\(ofRun)", as: fleet.walker) == [Int(older)])
        #expect(try positions(router, "id=\(ofRun)", as: fleet.walker) == [])
        #expect(try positions(router, "id=\(older)&deviceId=\(fleet.bWalk)", as: fleet.walker) == [],
                "a position of a device other than the one asked for")
        #expect(try positions(router, "id=\(ofRun)", as: fleet.root) == [Int(ofRun)])
    }

    @Test func historyComesByFixTimeWithinInclusiveBounds() throws {
        let fleet = try Fleet()
        let router = fleet.router
        for time in ["10:00:00", "09:00:00", "09:30:00", "11:00:00", "08:59:59"] {
            _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 " + time)
        }
        _ = try router.position(device: fleet.bWalk, fixTime: "2026-03-01 09:45:00")
        _ = try router.position(device: fleet.run, fixTime: "2026-03-01 09:45:00")
        let auth = fleet.walker.basic
        let history = router.call(
            "GET", "/api/positions?deviceId=\(fleet.aWalk)&from=2026-03-01T09:00:00Z&to=2026-03-01T10:00:00Z", auth)
        #expect(history.status == 200)
        #expect(try fixTimes(history) == ["2026-03-01T09:00:00.000+00:00", "2026-03-01T09:30:00.000+00:00",
                                          "2026-03-01T10:00:00.000+00:00"])
        for position in try APIRouter.array(history) { TraccarShape.expect(position, is: TraccarShape.position) }
        let offsets = router.call("GET", "/api/positions?deviceId=\(fleet.aWalk)"
                                  + "&from=2026-03-01T10:30:00%2B01:00&to=2026-03-01T04:00:00-06:00", auth)
        #expect(try fixTimes(offsets) == ["2026-03-01T09:30:00.000+00:00", "2026-03-01T10:00:00.000+00:00"])
        let fraction = router.call("GET", "/api/positions?deviceId=\(fleet.aWalk)"
                                   + "&from=2026-03-01T09:00:00.000001Z&to=2026-03-01T09:30:00.123456789Z", auth)
        #expect(try fixTimes(fraction) == ["2026-03-01T09:30:00.000+00:00"])
        let backwards = router.call("GET", "/api/positions?deviceId=\(fleet.aWalk)"
                                    + "&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", auth)
        #expect(backwards.status == 200 && APIRouter.text(backwards) == "[]")
        for other in [fleet.run, fleet.spare] {
            let response = router.call("GET", "/api/positions?deviceId=\(other)"
                                       + "&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z", auth)
            #expect(response.status == 200 && APIRouter.text(response) == "[]", "\(other)")
        }
        let byAdmin = router.call("GET", "/api/positions?deviceId=\(fleet.run)"
                                  + "&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z", fleet.root.basic)
        #expect(try fixTimes(byAdmin) == ["2026-03-01T09:45:00.000+00:00"])
    }

    @Test func historyNeedsBothBoundsAsTimesWithAZone() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        let device = "deviceId=\(fleet.aWalk)"
        for query in ["from=2026-03-01T00:00:00Z", "to=2026-03-02T00:00:00Z",
                      "from=2026-03-01T00:00:00&to=2026-03-02T00:00:00Z", "from=2026-03-01&to=2026-03-02",
                      "from=yesterday&to=today", "from=&to=", "from=2026-02-30T00:00:00Z&to=2026-03-02T00:00:00Z",
                      "from=1772409600&to=1772496000"] {
            let response = router.call("GET", "/api/positions?\(device)&\(query)", fleet.walker.basic)
            #expect(response.status == 400, "\(query)")
            #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8", "\(query)")
        }
    }
}
