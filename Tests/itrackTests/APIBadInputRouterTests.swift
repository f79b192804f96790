import Foundation
import Testing
import TrackWire

@testable import itrack

/// What malformed, mistyped and hostile input gets: a 400 or a literal match, and the tables intact.
@Suite struct APIBadInputRouterTests {
    /// SQL-looking text, as a client would type it.
    static let hostile = ["' OR 1=1 --", "%27", ";DROP TABLE tc_devices", "1; DELETE FROM tc_users", "1 OR 1=1",
                          "\" OR \"\"=\"", "$1", "\\'; --", "0x1F", "*"]

    /// `text` percent-encoded for a query.
    func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// What the fleet's tables hold, to compare before and after.
    func tables(_ router: APIRouter) throws -> [[String?]] {
        try router.sql("""
            SELECT (SELECT string_agg(uniqueid, ',' ORDER BY id) FROM tc_devices),
                   (SELECT string_agg(email, ',' ORDER BY id) FROM tc_users),
                   (SELECT count(*) FROM tc_positions), (SELECT count(*) FROM tc_user_device),
                   (SELECT count(*) FROM tc_geofences), (SELECT count(*) FROM tc_events)
            """)
    }

    @Test func malformedJSONBodiesAreRefused() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let geofence = try router.geofence("Home", owners: [fleet.walker])
        let before = try tables(router)
        let texts = ["{not json", "", "[]", #"["name","x"]"#, #""text""#, "null", "42", #"{"name":"x","uniqueId":"y""#,
                     #"{"name":"x",}"#, "{'name':'x'}"]
        let bodies = texts.map { Array($0.utf8) } + [[0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]]
        for target in ["POST /api/devices", "PUT /api/devices/\(fleet.aWalk)", "POST /api/geofences",
                       "PUT /api/geofences/\(geofence)"] {
            let parts = target.split(separator: " ").map(String.init)
            for body in bodies {
                let response = router.call(HTTPRequest(
                    method: parts[0], target: parts[1], headers: HTTPHeaders([fleet.walker.basic,
                                                                              ("Content-Type", "application/json")]),
                    body: body))
                #expect(response.status == 400, "\(target) \(String(decoding: body, as: UTF8.self))")
                #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
            }
        }
        #expect(try tables(router) == before)
    }

    @Test func wrongJSONTypesAndSizesAreRefusedNamingTheField() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let before = try tables(router)
        let long = String(repeating: "x", count: 129)
        let devices = [
            (#"{"name":5,"uniqueId":"u"}"#, "name"), (#"{"name":"n","uniqueId":true}"#, "uniqueId"),
            (#"{"name":"n"}"#, "uniqueId"), (#"{"name":null,"uniqueId":"u"}"#, "name"),
            (#"{"name":"   ","uniqueId":"u"}"#, "name"), (#"{"name":"n","uniqueId":"u","disabled":"yes"}"#, "disabled"),
            (#"{"name":"n","uniqueId":"u","disabled":1}"#, "disabled"),
            (#"{"name":"n","uniqueId":"u","phone":12}"#, "phone"),
            (#"{"name":"n","uniqueId":"u","attributes":[]}"#, "attributes"),
            (#"{"name":"n","uniqueId":"u","attributes":"{}"}"#, "attributes"),
            (#"{"id":"5","name":"n","uniqueId":"u"}"#, "id"),
            (#"{"name":"\#(long)","uniqueId":"u"}"#, "name"), (#"{"name":"a\u0000b","uniqueId":"u"}"#, "name"),
        ]
        for (body, field) in devices {
            let response = router.call("POST", "/api/devices", fleet.walker.basic, json: body)
            #expect(response.status == 400 && APIRouter.text(response).contains(field), "\(body)")
            let edit = router.call("PUT", "/api/devices/\(fleet.aWalk)", fleet.walker.basic, json: body)
            #expect(edit.status == 400 && APIRouter.text(edit).contains(field), "PUT \(body)")
        }
        let geofences = [
            (#"{"name":"n","area":5}"#, "area"), (#"{"name":"n","area":"SQUARE (1 2)"}"#, "area"),
            (#"{"name":"n","area":"CIRCLE (1 2)"}"#, "area"), (#"{"name":"n","area":"POLYGON ((1 2, 3 4))"}"#, "area"),
            (#"{"area":"CIRCLE (1 2, 3)"}"#, "name"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","calendarId":"1"}"#, "calendarId"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","calendarId":-1}"#, "calendarId"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","calendarId":1.5}"#, "calendarId"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","description":[]}"#, "description"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","attributes":"x"}"#, "attributes"),
            (#"{"name":"n","area":"CIRCLE (1 2, 3)","id":99999999999}"#, "id"),
        ]
        for (body, field) in geofences {
            let response = router.call("POST", "/api/geofences", fleet.walker.basic, json: body)
            #expect(response.status == 400 && APIRouter.text(response).contains(field), "\(body)")
        }
        #expect(try tables(router) == before)
    }

    @Test func sqlInJSONStringsIsStoredAndAnsweredLiterally() throws {
        let fleet = try Fleet()
        let router = fleet.router
        for (index, text) in Self.hostile.enumerated() {
            let fields: [String: Any] = ["name": text, "uniqueId": "\(text)#\(index)", "phone": text, "model": text,
                                         "contact": text, "category": text, "attributes": [text: text]]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
            let created = router.call("POST", "/api/devices", fleet.walker.basic, json: body)
            #expect(created.status == 200, "\(text)")
            let device = try APIRouter.object(created)
            for key in ["name", "phone", "model", "contact", "category"] {
                #expect(device[key] as? String == text, "\(key): \(text)")
            }
            #expect(device["uniqueId"] as? String == "\(text)#\(index)")
            #expect((device["attributes"] as? [String: Any])?[text] as? String == text)
            let id = try #require(device["id"] as? Int)
            #expect(try router.sql("SELECT name, uniqueid, phone FROM tc_devices WHERE id = $1", [String(id)])
                    == [[text, "\(text)#\(index)", text]])
            let found = router.call("GET", "/api/devices?uniqueId=\(encoded("\(text)#\(index)"))", fleet.walker.basic)
            #expect(try APIRouter.column("id", of: found, as: Int.self) == [id], "\(text)")

            let geofence = try APIRouter.object(router.call("POST", "/api/geofences", fleet.walker.basic, json: String(
                decoding: try JSONSerialization.data(withJSONObject: ["name": text, "description": text,
                                                                     "area": "CIRCLE (1 2, 3)"]), as: UTF8.self)))
            #expect(geofence["name"] as? String == text && geofence["description"] as? String == text)
        }
        let names = try router.sql("SELECT name FROM tc_devices ORDER BY id").map { $0[0] ?? "" }
        #expect(names == ["b-walk", "a-walk", "run", "spare"] + Self.hostile)
        #expect(try router.count("tc_users") == 3 && router.count("tc_geofences") == Self.hostile.count)
        #expect(try APIRouter.array(router.call("GET", "/api/devices", fleet.runner.basic)).count == 1)
    }

    @Test func quotesBackslashesAndControlCharactersRoundTrip() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let text = "a\"b\\c\nd\te\u{1}f/g</script>😀"
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["name": text, "uniqueId": text]),
                          as: UTF8.self)
        let created = router.call("POST", "/api/devices", fleet.walker.basic, json: body)
        #expect(created.status == 200)
        #expect(try APIRouter.object(created)["name"] as? String == text)
        #expect(APIRouter.text(created).contains(#""name":"a\"b\\c\nd\te\u0001f/g</script>😀""#))
        #expect(try router.sql("SELECT name FROM tc_devices WHERE uniqueid = $1", [text]) == [[text]])
    }

    /// Every query parameter the API reads, given SQL-looking text: refused with 400 or matched literally, never
    /// widening the answer, and the tables untouched.
    @Test func sqlInQueryParametersIsRefusedOrMatchedLiterally() throws {
        let fleet = try Fleet()
        let router = fleet.router
        _ = try router.position(device: fleet.aWalk, fixTime: "2026-03-01 09:00:00")
        _ = try router.position(device: fleet.run, fixTime: "2026-03-01 09:00:00")
        _ = try router.event(device: fleet.run, type: "deviceMoving", time: "2026-03-01 09:00:00")
        _ = try router.geofence("Office", owners: [fleet.runner])
        let before = try tables(router)
        let day = APIReportRouterTests.day
        let device = "deviceId=\(fleet.aWalk)"
        for text in Self.hostile {
            let value = encoded(text)
            let refused = [
                "/api/devices?id=\(value)", "/api/positions?id=\(value)", "/api/positions?deviceId=\(value)",
                "/api/positions?\(device)&from=\(value)&to=2026-03-02T00:00:00Z",
                "/api/positions?\(device)&from=2026-03-01T00:00:00Z&to=\(value)",
                "/api/geofences?id=\(value)", "/api/geofences?deviceId=\(value)",
                "/api/reports/events?\(day)&deviceId=\(value)", "/api/reports/events?from=\(value)&to=\(value)",
                "/api/reports/route?\(day)&deviceId=\(value)", "/api/reports/route?\(device)&from=\(value)&to=\(value)",
                "/api/positions/gpx?\(day)&deviceId=\(value)", "/api/positions/csv?\(device)&from=\(value)&to=\(value)",
                "/api/statistics?from=\(value)&to=\(value)",
            ]
            for target in refused {
                let response = router.call("GET", target, fleet.root.basic)
                #expect(response.status == 400, "\(target)")
            }
            let empty = [
                "/api/devices?uniqueId=\(value)", "/api/reports/events?\(day)&type=\(value)",
            ]
            for target in empty {
                let response = router.call("GET", target, fleet.root.basic)
                #expect(response.status == 200 && APIRouter.text(response) == "[]", "\(target)")
            }
            let all = router.call("GET", "/api/devices?all=\(value)", fleet.walker.basic)
            #expect(try APIRouter.column("uniqueId", of: all, as: String.self) == ["a-walk", "b-walk"], "all=\(text)")
            let token = router.call("POST", "/api/session/token", fleet.walker.basic, form: "expiration=\(value)")
            #expect(token.status == 200, "expiration=\(text)")
        }
        #expect(try tables(router) == before)
    }

    /// SQL-looking credentials: refused like any other wrong ones, the users' table intact.
    @Test func sqlInCredentialsIsJustAWrongLogin() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let before = try tables(router)
        for (index, text) in Self.hostile.enumerated() {
            // At most three refusals per address, so the login throttle holds no answer back.
            let (form, header) = ("198.51.100.\(index + 1):1", "203.0.113.\(index + 1):1")
            let value = encoded(text)
            #expect(router.call("POST", "/api/session", form: "email=\(value)&password=\(value)", from: form).status
                    == 401, "\(text)")
            #expect(router.call("POST", "/api/session", form: "email=walker%40example.com&password=\(value)",
                                from: form).status == 401, "\(text)")
            #expect(router.call("GET", "/api/devices", APIRouter.basic(text, text), from: header).status == 401)
            #expect(router.call("GET", "/api/devices", ("Authorization", "Bearer \(text)"), from: header).status == 401)
            #expect(router.call("GET", "/api/devices", ("Cookie", "JSESSIONID=\(text)")).status == 401)
            #expect(router.call("GET", "/api/session?token=\(value)").status == 401)
        }
        #expect(try tables(router) == before)
        #expect(try router.count("it_sessions") == 0)
    }

    @Test func idsThatAreNotNumbersAreRefused() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let before = try tables(router)
        let auth = fleet.walker.basic
        for id in ["abc", "1.5", "0x10", "%31", "1%20OR%201=1", "99999999999999999999", "1e3", "+-1"] {
            for resource in ["devices", "geofences"] {
                let json = resource == "devices"
                    ? #"{"name":"n","uniqueId":"u"}"# : #"{"name":"n","area":"CIRCLE (1 2, 3)"}"#
                #expect(router.call("GET", "/api/\(resource)/\(id)", auth).status == 400, "\(resource)/\(id)")
                #expect(router.call("PUT", "/api/\(resource)/\(id)", auth, json: json).status == 400,
                        "\(resource)/\(id)")
                #expect(router.call("DELETE", "/api/\(resource)/\(id)", auth).status == 400, "\(resource)/\(id)")
            }
            #expect(router.call("GET", "/api/events/\(id)", auth).status == 400, "events/\(id)")
        }
        for query in ["id=abc", "id=1.5", "id=", "id=12abc", "id=\(fleet.aWalk)&id=x"] {
            #expect(router.call("GET", "/api/devices?\(query)", auth).status == 400, "devices?\(query)")
            #expect(router.call("GET", "/api/positions?\(query)", auth).status == 400, "positions?\(query)")
            #expect(router.call("GET", "/api/geofences?\(query)", auth).status == 400, "geofences?\(query)")
        }
        #expect(router.call("GET", "/api/devices?id=%ZZ", auth).status == 400, "a broken percent escape")
        #expect(try tables(router) == before)
    }

    /// Ids beyond what the id columns hold find nothing (or are refused); they never fail the server.
    @Test func idsTooLargeForTheColumnsAreNotServerErrors() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let auth = fleet.root.basic
        let large = "99999999999"
        let targets = [
            "/api/devices/\(large)", "/api/devices?id=\(large)", "/api/positions?deviceId=\(large)",
            "/api/positions?id=\(large)", "/api/geofences/\(large)", "/api/geofences?id=\(large)",
            "/api/geofences?deviceId=\(large)", "/api/events/\(large)",
            "/api/reports/events?\(APIReportRouterTests.day)&deviceId=\(large)",
            "/api/reports/route?\(APIReportRouterTests.day)&deviceId=\(large)",
            "/api/positions/gpx?\(APIReportRouterTests.day)&deviceId=\(large)",
        ]
        for target in targets {
            let response = router.call("GET", target, auth)
            let found = response.status == 200 ? APIRouter.text(response) : nil
            #expect(response.status == 400 || response.status == 404 || found == "[]",
                    "\(target): \(response.status) \(APIRouter.text(response))")
        }
        #expect(router.call("DELETE", "/api/devices/\(large)", auth).status != 503)
        #expect(router.call("PUT", "/api/devices/\(large)", auth, json: #"{"name":"n","uniqueId":"u"}"#).status != 503)
        #expect(router.call("GET", "/api/devices/-1", auth).status == 404)
    }

    @Test func unknownPathsAndMethodsAreNotFound() throws {
        let fleet = try Fleet()
        let router = fleet.router
        let auth = fleet.root.basic
        for (method, target) in [("GET", "/api/nothing"), ("PATCH", "/api/devices/\(fleet.aWalk)"),
                                 ("GET", "/api/devices/\(fleet.aWalk)/extra"), ("POST", "/api/positions"),
                                 ("DELETE", "/api/events/1"), ("GET", "/api/reports/trips")] {
            #expect(router.call(method, target, auth).status == 404, "\(method) \(target)")
        }
        #expect(router.call("GET", "/api/nothing").status == 401, "who may not log in learns nothing of the paths")
    }
}
