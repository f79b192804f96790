import Foundation
import Testing
import TrackWire

@testable import itrack

/// Events, the events and route reports, track exports, and the administrators' users and statistics.
@Suite struct APIReportRouterTests {
    static let day = "from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z"

    /// `Fleet` with events: `b-walk` moving at 09:30; `a-walk` entering walker's geofence at 09:00 and stopping at
    /// 10:00; `run` leaving at 09:15.
    struct Events {
        let fleet: Fleet
        let position: Int64, geofence: Int
        let moving: Int64, entered: Int64, stopped: Int64, left: Int64

        init() throws {
            fleet = try Fleet()
            let router = fleet.router
            position = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
            geofence = try router.geofence("Home", owners: [fleet.walker])
            entered = try router.event(device: fleet.aWalk, type: "geofenceEnter", time: "2026-03-01 09:00:00",
                                       positionId: position, geofenceId: geofence)
            stopped = try router.event(device: fleet.aWalk, type: "deviceStopped", time: "2026-03-01 10:00:00")
            moving = try router.event(device: fleet.bWalk, type: "deviceMoving", time: "2026-03-01 09:30:00")
            left = try router.event(device: fleet.run, type: "geofenceExit", time: "2026-03-01 09:15:00")
        }
    }

    @Test func oneEventIsFoundOnlyByWhoSeesItsDevice() throws {
        let events = try Events()
        let (router, fleet) = (events.fleet.router, events.fleet)
        let entered = router.call("GET", "/api/events/\(events.entered)", fleet.walker.basic)
        #expect(entered.status == 200 && entered.headers["Content-Type"] == "application/json")
        #expect(APIRouter.text(entered) == #"{"id":\#(events.entered),"attributes":{},"deviceId":\#(fleet.aWalk),"#
                + #""type":"geofenceEnter","eventTime":"2026-03-01T09:00:00.000+00:00","#
                + #""positionId":\#(events.position),"geofenceId":\#(events.geofence),"maintenanceId":0}"#)
        TraccarShape.expect(try APIRouter.object(entered), is: TraccarShape.event)
        let stopped = try APIRouter.object(router.call("GET", "/api/events/\(events.stopped)", fleet.walker.basic))
        #expect(stopped["positionId"] as? Int == 0 && stopped["geofenceId"] as? Int == 0, "Traccar's 0 for none")
        #expect(router.call("GET", "/api/events/\(events.left)", fleet.walker.basic).status == 404)
        #expect(router.call("GET", "/api/events/999999", fleet.walker.basic).status == 404)
        #expect(router.call("GET", "/api/events/\(events.left)", fleet.root.basic).status == 200)
    }

    @Test func theEventsReportHoldsTheUsersDevicesByDeviceThenTime() throws {
        let events = try Events()
        let (router, fleet) = (events.fleet.router, events.fleet)
        let report = router.call("GET", "/api/reports/events?\(Self.day)", fleet.walker.basic)
        #expect(report.status == 200 && report.headers["Content-Type"] == "application/json")
        #expect(try APIRouter.ids(report) == [Int(events.moving), Int(events.entered), Int(events.stopped)],
                "b-walk has the lower id; never runner's event")
        for event in try APIRouter.array(report) { TraccarShape.expect(event, is: TraccarShape.event) }
        #expect(try APIRouter.column("type", of: report, as: String.self)
                == ["deviceMoving", "geofenceEnter", "deviceStopped"])
        #expect(try APIRouter.ids(router.call("GET", "/api/reports/events?\(Self.day)", fleet.root.basic))
                == [Int(events.moving), Int(events.entered), Int(events.stopped), Int(events.left)])
        #expect(try APIRouter.ids(router.call("GET", "/api/reports/events?\(Self.day)", fleet.runner.basic))
                == [Int(events.left)])
    }

    @Test func theEventsReportFiltersByDeviceTypeAndInclusiveRange() throws {
        let events = try Events()
        let (router, fleet) = (events.fleet.router, events.fleet)
        let auth = fleet.walker.basic
        func report(_ query: String) throws -> [Int?] {
            try APIRouter.ids(router.call("GET", "/api/reports/events?\(query)", auth))
        }
        #expect(try report("\(Self.day)&deviceId=\(fleet.aWalk)") == [Int(events.entered), Int(events.stopped)])
        #expect(try report("\(Self.day)&deviceId=\(fleet.run)") == [], "another user's device")
        #expect(try report("\(Self.day)&deviceId=\(fleet.run)&deviceId=\(fleet.bWalk)") == [Int(events.moving)])
        #expect(try report("\(Self.day)&type=deviceStopped") == [Int(events.stopped)])
        #expect(try report("\(Self.day)&type=deviceStopped&type=deviceMoving")
                == [Int(events.moving), Int(events.stopped)])
        #expect(try report("\(Self.day)&type=allEvents").count == 3)
        #expect(try report("\(Self.day)&type=geofenceExit") == [], "runner's type, not runner's event")
        #expect(try report("from=2026-03-01T09:00:00Z&to=2026-03-01T09:30:00Z")
                == [Int(events.moving), Int(events.entered)])
        #expect(try report("from=2026-03-01T09:00:00.001Z&to=2026-03-01T09:59:59Z") == [Int(events.moving)])
        for query in ["", "from=2026-03-01T00:00:00Z", "to=2026-03-02T00:00:00Z", "from=yesterday&to=today"] {
            #expect(router.call("GET", "/api/reports/events?\(query)", auth).status == 400, "\(query)")
        }
    }

    @Test func theRouteReportIsTheDevicesHistory() throws {
        let fleet = try Fleet()
        let router = fleet.router
        for time in ["10:00:00", "09:00:00", "23:59:59"] {
            _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 " + time)
        }
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-02 00:00:01")
        _ = try router.position(device: fleet.run, fixTime: "2026-03-01 09:30:00")
        let route = router.call("GET", "/api/reports/route?deviceId=\(fleet.aWalk)&\(Self.day)", fleet.walker.basic)
        #expect(route.status == 200 && route.headers["Content-Type"] == "application/json")
        #expect(try APIRouter.column("fixTime", of: route, as: String.self) == [
            "2026-03-01T09:00:00.000+00:00", "2026-03-01T10:00:00.000+00:00", "2026-03-01T23:59:59.000+00:00",
        ])
        for position in try APIRouter.array(route) { TraccarShape.expect(position, is: TraccarShape.position) }
        let other = router.call("GET", "/api/reports/route?deviceId=\(fleet.run)&\(Self.day)", fleet.walker.basic)
        #expect(other.status == 200 && APIRouter.text(other) == "[]")
        #expect(try APIRouter.array(router.call("GET", "/api/reports/route?deviceId=\(fleet.run)&\(Self.day)",
                                                fleet.root.basic)).count == 1)
        #expect(router.call("GET", "/api/reports/route?deviceId=\(fleet.aWalk)", fleet.walker.basic).status == 400)
    }

    /// Status and content type only: how the body is made is another part's concern.
    @Test func exportsAnswerInTheirFormatOnlyForVisibleDevices() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        _ = try router.position(device: fleet.run, fixTime: "2026-03-01 09:00:00")
        let types = ["gpx": "application/gpx+xml", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"]
        for (format, type) in types {
            let base = "/api/positions/\(format)?\(Self.day)"
            let own = router.call("GET", "\(base)&deviceId=\(fleet.aWalk)", fleet.walker.basic)
            #expect(own.status == 200 && own.headers["Content-Type"] == type, "\(format)")
            let empty = router.call("GET", "/api/positions/\(format)?deviceId=\(fleet.bWalk)&\(Self.day)",
                                    fleet.walker.basic)
            #expect(empty.status == 200 && empty.headers["Content-Type"] == type,
                    "\(format): a device without positions")
            #expect(router.call("GET", "\(base)&deviceId=\(fleet.run)", fleet.walker.basic).status == 404, "\(format)")
            #expect(router.call("GET", "\(base)&deviceId=999999", fleet.walker.basic).status == 404, "\(format)")
            #expect(router.call("GET", "\(base)&deviceId=\(fleet.run)", fleet.root.basic).status == 200, "\(format)")
            #expect(router.call("GET", base, fleet.walker.basic).status == 400, "\(format): no device")
            #expect(router.call("GET", "/api/positions/\(format)?deviceId=\(fleet.aWalk)", fleet.walker.basic).status
                    == 400, "\(format): no range")
        }
        #expect(router.call("GET", "/api/positions/kml?deviceId=\(fleet.aWalk)&\(Self.day)", fleet.walker.basic).status
                == 404)
    }

    @Test func onlyAdministratorsListUsers() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let users = router.call("GET", "/api/users", fleet.root.basic)
        #expect(users.status == 200 && users.headers["Content-Type"] == "application/json")
        #expect(try APIRouter.column("email", of: users, as: String.self)
                == ["root@example.com", "runner@example.com", "walker@example.com"])
        for user in try APIRouter.array(users) { TraccarShape.expect(user, is: TraccarShape.user) }
        #expect(try APIRouter.column("administrator", of: users, as: Bool.self) == [true, false, false])
        // Traccar lets a user who manages no one list no one; itrack refuses (403) or lists only the caller.
        let walkers = router.call("GET", "/api/users", fleet.walker.basic)
        if walkers.status == 200 {
            #expect(try APIRouter.column("id", of: walkers, as: Int.self) == [fleet.walker.id])
        } else {
            #expect(walkers.status == 403)
        }
    }

    @Test func onlyAdministratorsReadStatisticsPerDay() throws {
        let fleet = try Fleet()
        let router = fleet.router
        for (device, time) in [(fleet.aWalk, "2026-03-01 09:00:00"), (fleet.aWalk, "2026-03-01 10:00:00"),
                               (fleet.run, "2026-03-01 11:00:00"), (fleet.run, "2026-03-02 11:00:00"),
                               (fleet.run, "2026-03-05 11:00:00")] {
            _ = try router.position(device: device, fixTime: time)
        }
        let statistics = router.call("GET", "/api/statistics?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z",
                                     fleet.root.basic)
        #expect(statistics.status == 200 && statistics.headers["Content-Type"] == "application/json")
        let days = try APIRouter.array(statistics)
        for day in days { TraccarShape.expect(day, is: TraccarShape.statistics) }
        #expect(days.map { $0["captureTime"] as? String }
                == ["2026-03-01T00:00:00.000+00:00", "2026-03-02T00:00:00.000+00:00"])
        #expect(days.map { $0["messagesStored"] as? Int } == [3, 1])
        #expect(days.map { $0["activeDevices"] as? Int } == [2, 1])
        let refused = router.call("GET", "/api/statistics?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z",
                                  fleet.walker.basic)
        #expect(refused.status == 403)
        #expect(router.call("GET", "/api/statistics", fleet.root.basic).status == 400)
    }
}
