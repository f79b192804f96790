import Foundation
import Testing
import TestSupport
import TrackWire

/// Traccar's REST API on the web port: the server object, sessions, tokens, and the user's devices and positions.
@Suite struct APITests {
    static let admin = (email: "admin@example.com", password: "s3cret pass")

    func server() throws -> ServerProcess {
        try ServerProcess(databaseURL: try TestDatabase.create(), environment: [
            "ITRACK_ADMIN_EMAIL": Self.admin.email, "ITRACK_ADMIN_PASSWORD": Self.admin.password,
        ])
    }

    /// One request on a fresh connection; `headers` are extra header lines.
    func call(_ server: ServerProcess, _ method: String, _ target: String, headers: [String] = [],
              form: String? = nil) throws -> HTTPResponse {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { request += header + "\r\n" }
        if let form {
            request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n\r\n" + form
        } else {
            request += "\r\n"
        }
        guard let response = try RawHTTPClient(port: server.webPort).exchange(request) else {
            throw ServerError(message: "no answer to \(method) \(target)")
        }
        return response
    }

    func json(_ response: HTTPResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body))
    }

    func basic(_ email: String, _ password: String) -> String {
        "Authorization: Basic " + Data("\(email):\(password)".utf8).base64EncodedString()
    }

    @Test func theServerObjectNeedsNoLogin() throws {
        let server = try server()
        let response = try call(server, "GET", "/api/server")
        #expect(response.status == 200 && response.headers["Content-Type"] == "application/json")
        let object = try #require(try json(response) as? [String: Any])
        #expect(object["version"] as? String != nil && object["registration"] as? Bool == false)
        #expect(object.keys.count == 27 && object["map"] is NSNull, "every Traccar field, nulls present")
    }

    @Test func sessionsTokensAndBasicAuth() throws {
        let server = try server()
        #expect(try call(server, "GET", "/api/devices").status == 401)
        #expect(try call(server, "POST", "/api/session", form: "email=admin%40example.com&password=wrong").status == 401)
        #expect(try call(server, "GET", "/api/devices", headers: [basic(Self.admin.email, "wrong")]).status == 401)

        let login = try call(server, "POST", "/api/session", form: "email=ADMIN%40example.com&password=s3cret+pass")
        #expect(login.status == 200)
        let user = try #require(try json(login) as? [String: Any])
        #expect(user["email"] as? String == Self.admin.email && user["administrator"] as? Bool == true)
        #expect(user["password"] is NSNull)
        let cookie = try #require(login.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
        #expect(cookie.hasPrefix("JSESSIONID=") && login.headers["Set-Cookie"]?.contains("HttpOnly") == true)
        #expect(try call(server, "GET", "/api/session", headers: ["Cookie: \(cookie)"]).status == 200)
        #expect(try call(server, "GET", "/api/devices", headers: ["Cookie: \(cookie)"]).status == 200)

        let token = try call(server, "POST", "/api/session/token", headers: [basic(Self.admin.email, Self.admin.password)])
        #expect(token.status == 200)
        let tokenText = String(decoding: token.body, as: UTF8.self)
        #expect(tokenText.count == 48)
        #expect(try call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(tokenText)"]).status == 200)
        #expect(try call(server, "GET", "/api/devices", headers: ["Authorization: Bearer nope"]).status == 401)
        let viaToken = try call(server, "GET", "/api/session?token=\(tokenText)")
        #expect(viaToken.status == 200 && viaToken.headers["Set-Cookie"]?.hasPrefix("JSESSIONID=") == true)
        #expect(try call(server, "GET", "/api/session?token=nope").status == 401)
        #expect(try call(server, "GET", "/api/devices?token=\(tokenText)").status == 401,
                "?token= is only for /api/session and the WebSocket")

        #expect(try call(server, "DELETE", "/api/session", headers: ["Cookie: \(cookie)"]).status == 204)
        #expect(try call(server, "GET", "/api/session", headers: ["Cookie: \(cookie)"]).status == 404)
        #expect(try call(server, "GET", "/api/devices", headers: ["Cookie: \(cookie)"]).status == 401)
    }

    @Test func devicesAndTheirLatestPositions() throws {
        let server = try server()
        let phone = try RawHTTPClient(port: server.osmandPort)
        for (id, second) in [("b-phone", 10), ("a-phone", 20), ("a-phone", 30)] {
            let response = try phone.exchange("GET /?id=\(id)&lat=52.5&lon=13.4&timestamp=\(1_795_000_000 + second) "
                                              + "HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response?.status == 200)
        }
        let auth = basic(Self.admin.email, Self.admin.password)
        let devices = try #require(try json(call(server, "GET", "/api/devices", headers: [auth])) as? [[String: Any]])
        #expect(devices.map { $0["uniqueId"] as? String } == ["a-phone", "b-phone"], "sorted by name")
        let only = try #require(try json(call(server, "GET", "/api/devices?uniqueId=b-phone", headers: [auth]))
            as? [[String: Any]])
        #expect(only.count == 1 && only.first?["uniqueId"] as? String == "b-phone")
        let injected = try call(server, "GET", "/api/devices?uniqueId=%27%20OR%201%3D1%20--", headers: [auth])
        #expect(injected.status == 200 && String(decoding: injected.body, as: UTF8.self) == "[]")

        let positions = try #require(try json(call(server, "GET", "/api/positions", headers: [auth])) as? [[String: Any]])
        #expect(positions.count == 2, "the latest of each device")
        #expect(Set(positions.compactMap { $0["fixTime"] as? String })
                == ["2026-11-18T11:06:50.000+00:00", "2026-11-18T11:07:10.000+00:00"])
        let aId = try #require(devices.first?["id"] as? Int)
        let ofA = try #require(try json(call(server, "GET", "/api/positions?deviceId=\(aId)", headers: [auth]))
            as? [[String: Any]])
        #expect(ofA.count == 1 && ofA.first?["deviceId"] as? Int == aId)
        #expect(try call(server, "GET", "/api/nothing", headers: [auth]).status == 404)
    }
}

extension APITests {
    /// Python's `websockets` (a real RFC 6455 client) on `/api/socket`: the latest positions on connect, then a
    /// position posted on the OsmAnd port arrives live with its device, and an event written to `tc_events`
    /// arrives as `{"events":…}`.
    @Test func theSocketSendsTheLatestPositionsThenLiveOnes() throws {
        guard let python = ProcessInfo.processInfo.environment["ITRACK_TEST_PYTHON"] else {
            throw ServerError(message: "ITRACK_TEST_PYTHON is not set: run the tests with scripts/test")
        }
        let server = try server()
        let phone = try RawHTTPClient(port: server.osmandPort)
        #expect(try phone.exchange("GET /?id=live-1&lat=52.5&lon=13.4&timestamp=1795000000 HTTP/1.1\r\nHost: t\r\n\r\n")?
            .status == 200)
        let token = String(decoding: try call(server, "POST", "/api/session/token",
                                              headers: [basic(Self.admin.email, Self.admin.password)]).body, as: UTF8.self)
        let script = """
            import asyncio, json, sys, urllib.request, websockets
            async def main():
                async with websockets.connect("ws://127.0.0.1:\(server.webPort)/api/socket?token=\(token)") as socket:
                    print(await asyncio.wait_for(socket.recv(), 10), flush=True)
                    urllib.request.urlopen("http://127.0.0.1:\(server.osmandPort)/?id=live-1&lat=52.6&lon=13.5"
                                           "&timestamp=1795000060").read()
                    while True:
                        message = await asyncio.wait_for(socket.recv(), 10)
                        print(message, flush=True)
                        if message.startswith('{"events"'):
                            break
            asyncio.run(main())
            """
        // An event the analytics would write, once the client is connected: it posts its second position then.
        let url = server.databaseURL
        Thread.detachNewThread {
            let deadline = Date(timeIntervalSinceNow: 20)
            while (try? TestDatabase.count(url, "SELECT count(*) FROM tc_positions WHERE latitude = 52.6")) != 1,
                  Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
            _ = try? TestDatabase.rows(url, """
                INSERT INTO tc_events (type, eventtime, deviceid, attributes)
                SELECT 'stayStart', now() AT TIME ZONE 'UTC', id, '{}' FROM tc_devices RETURNING id
                """)
        }
        let (status, output) = try Command.run(python, ["-c", script])
        #expect(status == 0, "\(output)")
        let messages = output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        try #require(messages.count == 4, "\(output)")
        let events = try #require(messages[3]["events"] as? [[String: Any]])
        #expect(events.first?["type"] as? String == "stayStart")
        let opening = try #require(messages[0]["positions"] as? [[String: Any]])
        #expect(opening.count == 1 && opening.first?["latitude"] as? Double == 52.5)
        let live = try #require(messages[1]["positions"] as? [[String: Any]])
        #expect(live.count == 1 && live.first?["latitude"] as? Double == 52.6)
        let devices = try #require(messages[2]["devices"] as? [[String: Any]])
        #expect(devices.first?["uniqueId"] as? String == "live-1")

        let refused = try call(server, "GET", "/api/socket?token=nope", headers: [
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        ])
        #expect(refused.status == 401)
        #expect(try call(server, "GET", "/api/socket?token=\(token)").status == 400, "not an upgrade")
    }
}

extension APITests {
    @Test func devicesAreCreatedEditedAndDeleted() throws {
        let server = try server()
        let auth = basic(Self.admin.email, Self.admin.password)
        func send(_ method: String, _ target: String, _ body: String) throws -> HTTPResponse {
            guard let response = try RawHTTPClient(port: server.webPort).exchange(
                "\(method) \(target) HTTP/1.1\r\nHost: t\r\n\(auth)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            else { throw ServerError(message: "no answer") }
            return response
        }
        let created = try send("POST", "/api/devices", #"{"name":"Zoë's phone","uniqueId":"zoe-1","model":"Pixel"}"#)
        #expect(created.status == 200)
        let device = try #require(try json(created) as? [String: Any])
        let id = try #require(device["id"] as? Int)
        #expect(device["name"] as? String == "Zoë's phone" && device["model"] as? String == "Pixel")
        #expect(try send("POST", "/api/devices", #"{"name":"again","uniqueId":"zoe-1"}"#).status == 400)
        #expect(try send("POST", "/api/devices", #"{"name":"no id"}"#).status == 400)
        #expect(try send("POST", "/api/devices", #"{"name":"x","uniqueId":"y","disabled":"yes"}"#).status == 400)

        let edited = try send("PUT", "/api/devices/\(id)", #"{"name":"Zoë","uniqueId":"zoe-1","disabled":true}"#)
        #expect(edited.status == 200)
        #expect((try json(edited) as? [String: Any])?["disabled"] as? Bool == true)
        let fetched = try #require(try json(call(server, "GET", "/api/devices/\(id)", headers: [auth])) as? [String: Any])
        #expect(fetched["name"] as? String == "Zoë")
        #expect(try send("PUT", "/api/devices/999999", #"{"name":"n","uniqueId":"u"}"#).status == 404)

        #expect(try call(server, "DELETE", "/api/devices/\(id)", headers: [auth]).status == 204)
        #expect(try call(server, "GET", "/api/devices/\(id)", headers: [auth]).status == 404)
        #expect(try call(server, "DELETE", "/api/devices/\(id)", headers: [auth]).status == 404)
    }
}

extension APITests {
    /// The OpenAPI document parses (PyYAML) and lists every path the router serves.
    @Test func theOpenAPIDocumentDescribesWhatIsServed() throws {
        guard let python = ProcessInfo.processInfo.environment["ITRACK_TEST_PYTHON"] else {
            throw ServerError(message: "ITRACK_TEST_PYTHON is not set: run the tests with scripts/test")
        }
        let server = try server()
        let response = try call(server, "GET", "/api/openapi.yaml")
        #expect(response.status == 200 && response.headers["Content-Type"] == "application/yaml")
        let (status, output) = try Command.run(python, ["-c", """
            import json, sys, yaml
            document = yaml.safe_load(sys.stdin)
            print(json.dumps({"openapi": document["openapi"], "paths": sorted(document["paths"])}))
            """], input: String(decoding: response.body, as: UTF8.self))
        #expect(status == 0, "\(output)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(parsed["openapi"] as? String == "3.0.3")
        #expect(parsed["paths"] as? [String] == [
            "/devices", "/devices/{id}", "/events/{id}", "/geofences", "/geofences/{id}", "/permissions", "/positions",
            "/positions/{format}", "/reports/events", "/reports/route", "/server", "/session", "/session/token",
            "/socket", "/statistics", "/users", "/users/{id}",
        ])
    }
}

extension APITests {
    /// Devices `mine` and `theirs`, each with a position; returns their ids.
    func twoDevices(_ server: ServerProcess) throws -> (mine: Int, theirs: Int) {
        let phone = try RawHTTPClient(port: server.osmandPort)
        for id in ["mine", "theirs"] {
            #expect(try phone.exchange("GET /?id=\(id)&lat=52.5&lon=13.4 HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 200)
        }
        let ids = try TestDatabase.rows(server.databaseURL, "SELECT id FROM tc_devices ORDER BY uniqueid")
            .compactMap { $0[0].flatMap { Int($0) } }
        return (ids[0], ids[1])
    }
}
