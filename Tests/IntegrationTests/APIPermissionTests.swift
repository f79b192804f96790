import Foundation
import Testing
import TestSupport
import TrackPostgres
import TrackWire

/// What a user may not see or do through the API, and what bad input gets.
@Suite struct APIPermissionTests {
    let api = APITests()

    @Test func aUserSeesOnlyLinkedDevicesAndNeverAnotherUsersData() throws {
        let server = try api.server()
        _ = try api.twoDevices(server)
        let accounts = AccountStore(connection: try PostgresConnection(url: server.databaseURL))
        let walker = try accounts.createUser(name: "walker", email: "walker@example.com", password: "pw", administrator: false)
        _ = try TestDatabase.rows(server.databaseURL, """
            INSERT INTO tc_user_device (userid, deviceid) SELECT $1, id FROM tc_devices WHERE uniqueid = 'mine'
            RETURNING deviceid
            """, [String(walker.id)])
        let auth = api.basic("walker@example.com", "pw")
        let devices = try #require(try api.json(api.call(server, "GET", "/api/devices", headers: [auth])) as? [[String: Any]])
        #expect(devices.map { $0["uniqueId"] as? String } == ["mine"])
        let theirs = try #require(try TestDatabase.rows(server.databaseURL,
                                                        "SELECT id FROM tc_devices WHERE uniqueid = 'theirs'")[0][0])
        let asked = try api.call(server, "GET", "/api/devices?id=\(theirs)", headers: [auth])
        #expect(String(decoding: asked.body, as: UTF8.self) == "[]")
        let positions = try #require(try api.json(api.call(server, "GET", "/api/positions?deviceId=\(theirs)",
                                                           headers: [auth])) as? [Any])
        #expect(positions.isEmpty)
        let history = try api.call(server, "GET", "/api/positions?deviceId=\(theirs)&from=2000-01-01T00:00:00Z"
                                   + "&to=2100-01-01T00:00:00Z", headers: [auth])
        #expect(String(decoding: history.body, as: UTF8.self) == "[]")
        #expect(try api.call(server, "GET", "/api/positions/gpx?deviceId=\(theirs)&from=2000-01-01T00:00:00Z"
                             + "&to=2100-01-01T00:00:00Z", headers: [auth]).status == 404)
        let seen = try #require(try api.json(api.call(server, "GET", "/api/users", headers: [auth]))
            as? [[String: Any]])
        #expect(seen.map { $0["email"] as? String } == ["walker@example.com"], "only themselves, as in Traccar")
        let admin = api.basic(APITests.admin.email, APITests.admin.password)
        let users = try #require(try api.json(api.call(server, "GET", "/api/users", headers: [admin])) as? [[String: Any]])
        #expect(Set(users.compactMap { $0["email"] as? String }) == [APITests.admin.email, "walker@example.com"])
    }

    @Test func badInputGetsAClearAnswer() throws {
        let server = try api.server()
        let admin = api.basic(APITests.admin.email, APITests.admin.password)
        func post(_ body: String) throws -> HTTPResponse {
            guard let response = try RawHTTPClient(port: server.webPort).exchange(
                "POST /api/geofences HTTP/1.1\r\nHost: t\r\n\(admin)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            else { throw ServerError(message: "no answer") }
            return response
        }
        #expect(try post("{not json").status == 400)
        #expect(try post(#"{"name":5,"area":"CIRCLE (1 2, 3)"}"#).status == 400)
        #expect(try post(#"{"name":"x","area":"SQUARE (1 2)"}"#).status == 400)
        let sneaky = try post(#"{"name":"'; DROP TABLE tc_users; --","area":"CIRCLE (1 2, 3)"}"#)
        #expect(sneaky.status == 200)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_users") == 1)
        #expect(try api.call(server, "GET", "/api/reports/events?from=yesterday&to=today", headers: [admin]).status == 400)
        #expect(try api.call(server, "GET", "/api/devices?id=%ZZ", headers: [admin]).status == 400)
        let huge = try RawHTTPClient(port: server.webPort).exchange(
            "POST /api/geofences HTTP/1.1\r\nHost: t\r\n\(admin)\r\nContent-Length: 10000000\r\n\r\n")
        #expect(huge?.status == 413)
    }

    @Test func repeatedWrongPasswordsAreSlowedDown() throws {
        let server = try api.server()
        for _ in 0..<3 {
            #expect(try api.call(server, "GET", "/api/devices", headers: [api.basic(APITests.admin.email, "guess")])
                .status == 401)
        }
        let started = Date()
        #expect(try api.call(server, "GET", "/api/devices", headers: [api.basic(APITests.admin.email, "guess")])
            .status == 401)
        #expect(Date().timeIntervalSince(started) >= 1.9, "the fourth refusal is held 2 s")
        #expect(try api.call(server, "GET", "/api/devices",
                             headers: [api.basic(APITests.admin.email, APITests.admin.password)]).status == 200)
    }
}
