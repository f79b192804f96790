import Foundation
import Testing
import TrackWire

@testable import itrack

/// `/api/devices`: who sees which device, the filters, and creating, editing and deleting them.
@Suite struct APIDeviceRouterTests {
    /// Traccar's Device JSON for a device made with `APIRouter.device` that never reported.
    func newDeviceJSON(id: Int, name: String) -> String {
        #"{"id":\#(id),"attributes":{},"groupId":0,"calendarId":0,"name":"\#(name)","uniqueId":"\#(name)","#
            + #""status":"offline","lastUpdate":null,"positionId":0,"phone":null,"model":null,"contact":null,"#
            + #""category":null,"disabled":false,"expirationTime":null}"#
    }

    func uniqueIds(_ response: HTTPResponse) throws -> [String?] {
        try APIRouter.column("uniqueId", of: response, as: String.self)
    }

    @Test func aUserListsTheirOwnDevicesByNameAndAnAdministratorEveryDevice() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let walkers = router.call("GET", "/api/devices", fleet.walker.basic)
        #expect(walkers.status == 200 && walkers.headers["Content-Type"] == "application/json")
        #expect(try uniqueIds(walkers) == ["a-walk", "b-walk"])
        for device in try APIRouter.array(walkers) { TraccarShape.expect(device, is: TraccarShape.device) }
        #expect(APIRouter.text(walkers) == "[" + newDeviceJSON(id: fleet.aWalk, name: "a-walk") + ","
                + newDeviceJSON(id: fleet.bWalk, name: "b-walk") + "]")
        #expect(try uniqueIds(router.call("GET", "/api/devices", fleet.runner.basic)) == ["run"])
        #expect(try uniqueIds(router.call("GET", "/api/devices", fleet.root.basic))
                == ["a-walk", "b-walk", "run", "spare"])
        #expect(try uniqueIds(router.call("GET", "/api/devices?all=true", fleet.walker.basic)) == ["a-walk", "b-walk"],
                "all=true shows a user no one else's device")
        #expect(try uniqueIds(router.call("GET", "/api/devices?all=true", fleet.root.basic)).count == 4)
        let nobody = try router.user("nobody")
        #expect(APIRouter.text(router.call("GET", "/api/devices", nobody.basic)) == "[]")
    }

    @Test func idAndUniqueIdFilterAndRepeat() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let auth = fleet.walker.basic
        #expect(try uniqueIds(router.call("GET", "/api/devices?id=\(fleet.bWalk)", auth)) == ["b-walk"])
        #expect(try uniqueIds(router.call("GET", "/api/devices?id=\(fleet.bWalk)&id=\(fleet.aWalk)", auth))
                == ["a-walk", "b-walk"])
        #expect(try uniqueIds(router.call("GET", "/api/devices?uniqueId=b-walk&uniqueId=a-walk", auth))
                == ["a-walk", "b-walk"])
        #expect(try uniqueIds(router.call("GET", "/api/devices?id=\(fleet.aWalk)&uniqueId=b-walk", auth))
                == ["a-walk", "b-walk"], "either filter admits a device, as in Traccar")
        #expect(try uniqueIds(router.call("GET", "/api/devices?uniqueId=A-WALK", auth)) == [], "unique ids are exact")
        let others = ["id=\(fleet.run)", "uniqueId=run", "id=\(fleet.spare)", "id=999999",
                      "id=\(fleet.run)&uniqueId=spare"]
        for other in others {
            let response = router.call("GET", "/api/devices?\(other)", auth)
            #expect(response.status == 200 && APIRouter.text(response) == "[]", "\(other)")
        }
        #expect(try uniqueIds(router.call("GET", "/api/devices?id=\(fleet.run)&uniqueId=spare", fleet.root.basic))
                == ["run", "spare"])
    }

    @Test func oneDeviceIsFoundByIdOnlyByWhoSeesIt() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let own = router.call("GET", "/api/devices/\(fleet.aWalk)", fleet.walker.basic)
        #expect(own.status == 200 && APIRouter.text(own) == newDeviceJSON(id: fleet.aWalk, name: "a-walk"))
        #expect(router.call("GET", "/api/devices/\(fleet.run)", fleet.walker.basic).status == 404)
        #expect(router.call("GET", "/api/devices/\(fleet.spare)", fleet.walker.basic).status == 404)
        #expect(router.call("GET", "/api/devices/999999", fleet.walker.basic).status == 404)
        #expect(router.call("GET", "/api/devices/\(fleet.run)", fleet.root.basic).status == 200)
    }

    @Test func aDeviceThatReportedShowsItsLatestPositionAndWhen() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        let latest = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 08:00:00")
        let device = try APIRouter.object(router.call("GET", "/api/devices/\(fleet.aWalk)", fleet.walker.basic))
        TraccarShape.expect(device, is: TraccarShape.device, except: ["lastUpdate": .string])
        #expect(device["positionId"] as? Int == Int(latest))
        #expect(device["lastUpdate"] as? String == "2026-03-01T10:00:01.000+00:00")
    }

    @Test func aCreatedDeviceBelongsToItsCreatorOnly() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let created = router.call("POST", "/api/devices", fleet.walker.basic, json: """
            {"name":"Zoë's phone","uniqueId":"zoe-1","phone":"+49 30 1","model":"Pixel","contact":"Zoë",
             "category":"person","disabled":true,"attributes":{"color":"red","speedLimit":30.5},
             "status":"online","positionId":5,"lastUpdate":"2026-01-01T00:00:00.000+00:00","groupId":3}
            """)
        #expect(created.status == 200 && created.headers["Content-Type"] == "application/json")
        let device = try APIRouter.object(created)
        TraccarShape.expect(device, is: TraccarShape.device,
                            except: ["phone": .string, "model": .string, "contact": .string, "category": .string])
        let id = try #require(device["id"] as? Int)
        #expect(device["name"] as? String == "Zoë's phone" && device["uniqueId"] as? String == "zoe-1")
        #expect(device["phone"] as? String == "+49 30 1" && device["model"] as? String == "Pixel")
        #expect(device["contact"] as? String == "Zoë" && device["category"] as? String == "person")
        #expect(device["disabled"] as? Bool == true)
        let attributes = try #require(device["attributes"] as? [String: Any])
        #expect(attributes["color"] as? String == "red" && attributes["speedLimit"] as? Double == 30.5)
        #expect(device["status"] as? String == "offline" && device["positionId"] as? Int == 0,
                "status and position are the server's to say")
        #expect(device["lastUpdate"] is NSNull && device["groupId"] as? Int == 0)

        #expect(try router.sql("SELECT userid FROM tc_user_device WHERE deviceid = $1", [String(id)])
                == [[String(fleet.walker.id)]])
        #expect(try Set(uniqueIds(router.call("GET", "/api/devices", fleet.walker.basic)))
                == ["a-walk", "b-walk", "zoe-1"])
        #expect(try uniqueIds(router.call("GET", "/api/devices", fleet.runner.basic)) == ["run"])
        #expect(router.call("GET", "/api/devices/\(id)", fleet.root.basic).body == created.body)
    }

    @Test func aTakenUniqueIdIsRefusedWhoeverHasIt() throws {
        let fleet = try Fleet()
        let router = fleet.router
        for uniqueId in ["a-walk", "run"] {
            let response = router.call("POST", "/api/devices", fleet.walker.basic,
                                       json: #"{"name":"copy","uniqueId":"\#(uniqueId)"}"#)
            #expect(response.status == 400, "\(uniqueId)")
        }
        #expect(try router.count("tc_devices") == 4)
        #expect(try router.count("tc_user_device") == 3)
    }

    @Test func aUserEditsOnlyTheirOwnDevices() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let edited = router.call("PUT", "/api/devices/\(fleet.aWalk)", fleet.walker.basic,
                                 json: #"{"id":\#(fleet.run),"name":"Renamed","uniqueId":"a-walk-2","model":"Nokia"}"#)
        #expect(edited.status == 200)
        let device = try APIRouter.object(edited)
        TraccarShape.expect(device, is: TraccarShape.device, except: ["model": .string])
        #expect(device["id"] as? Int == fleet.aWalk, "the path's id, not the body's")
        #expect(device["name"] as? String == "Renamed" && device["uniqueId"] as? String == "a-walk-2")
        #expect(router.call("GET", "/api/devices/\(fleet.aWalk)", fleet.walker.basic).body == edited.body)

        for target in [fleet.run, fleet.spare, 999_999] {
            let refused = router.call("PUT", "/api/devices/\(target)", fleet.walker.basic,
                                      json: #"{"name":"Mine now","uniqueId":"stolen-\#(target)"}"#)
            #expect(refused.status == 404, "\(target)")
        }
        #expect(try router.sql("SELECT name, uniqueid FROM tc_devices ORDER BY id")
                == [["b-walk", "b-walk"], ["Renamed", "a-walk-2"], ["run", "run"], ["spare", "spare"]])

        let clash = router.call("PUT", "/api/devices/\(fleet.bWalk)", fleet.walker.basic,
                                json: #"{"name":"b","uniqueId":"run"}"#)
        #expect(clash.status == 400, "another device's unique id")
        #expect(try router.sql("SELECT uniqueid FROM tc_devices WHERE id = $1", [String(fleet.bWalk)]) == [["b-walk"]])

        let byAdmin = router.call("PUT", "/api/devices/\(fleet.run)", fleet.root.basic,
                                  json: #"{"name":"Run","uniqueId":"run"}"#)
        #expect(try byAdmin.status == 200 && APIRouter.object(byAdmin)["name"] as? String == "Run")
    }

    @Test func aUserDeletesOnlyTheirOwnDevicesWithTheirPositions() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 10:00:00")
        _ = try router.position(device: fleet.run, fixTime: "2026-03-01 10:00:00")
        for target in [fleet.run, fleet.spare, 999_999] {
            #expect(router.call("DELETE", "/api/devices/\(target)", fleet.walker.basic).status == 404, "\(target)")
        }
        #expect(try router.count("tc_devices") == 4)

        let deleted = router.call("DELETE", "/api/devices/\(fleet.aWalk)", fleet.walker.basic)
        #expect(deleted.status == 204 && deleted.body.isEmpty)
        #expect(try router.sql("SELECT uniqueid FROM tc_devices ORDER BY id") == [["b-walk"], ["run"], ["spare"]])
        #expect(try router.sql("SELECT deviceid FROM tc_positions") == [[String(fleet.run)]])
        #expect(router.call("GET", "/api/devices/\(fleet.aWalk)", fleet.walker.basic).status == 404)
        #expect(router.call("DELETE", "/api/devices/\(fleet.aWalk)", fleet.walker.basic).status == 404)
        #expect(router.call("DELETE", "/api/devices/\(fleet.spare)", fleet.root.basic).status == 204)
    }

    @Test func aReadOnlyUserReadsButNeverWrites() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let viewer = try router.user("viewer", readonly: true)
        _ = try router.sql("INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2)",
                           [String(viewer.id), String(fleet.aWalk)])
        #expect(try uniqueIds(router.call("GET", "/api/devices", viewer.basic)) == ["a-walk"])
        #expect(router.call("GET", "/api/devices/\(fleet.aWalk)", viewer.basic).status == 200)
        let body = #"{"name":"x","uniqueId":"x"}"#
        #expect(router.call("POST", "/api/devices", viewer.basic, json: body).status == 403)
        #expect(router.call("PUT", "/api/devices/\(fleet.aWalk)", viewer.basic, json: body).status == 403)
        #expect(router.call("DELETE", "/api/devices/\(fleet.aWalk)", viewer.basic).status == 403)
        #expect(try router.sql("SELECT name FROM tc_devices ORDER BY id")
                == [["b-walk"], ["a-walk"], ["run"], ["spare"]])
    }
}
