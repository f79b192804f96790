import Foundation
import Testing
import TestSupport
import TrackWire

/// Users and permissions over the API, as Traccar's `/api/users` and `/api/permissions` with registration off.
@Suite struct APIUserTests {
    let api = APITests()
    var admin: String { api.basic(APITests.admin.email, APITests.admin.password) }

    /// A request with a JSON body on a fresh connection.
    func send(_ server: ServerProcess, _ method: String, _ target: String, _ body: String, auth: String) throws
        -> HTTPResponse
    {
        let request = "\(method) \(target) HTTP/1.1\r\nHost: t\r\n\(auth)\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        guard let response = try RawHTTPClient(port: server.webPort).exchange(request) else {
            throw ServerError(message: "no answer to \(method) \(target)")
        }
        return response
    }

    func object(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try api.json(response) as? [String: Any], "\(String(decoding: response.body, as: UTF8.self))")
    }

    /// The user `walker@example.com` (password `w4lk`) added by the administrator; returns their id.
    func addWalker(_ server: ServerProcess, _ extra: String = "") throws -> Int {
        let response = try send(server, "POST", "/api/users", #"""
            {"name":"Walker","email":"walker@example.com","password":"w4lk"\#(extra)}
            """#, auth: admin)
        #expect(response.status == 200)
        return try #require(try object(response)["id"] as? Int)
    }

    func deviceNames(_ server: ServerProcess, auth: String) throws -> [String?] {
        let devices = try #require(try api.json(api.call(server, "GET", "/api/devices", headers: [auth]))
            as? [[String: Any]])
        return devices.map { $0["uniqueId"] as? String }
    }

    @Test func anAdministratorAddsAUserWhoThenSeesOnlyTheDevicesLinkedToThem() throws {
        let server = try api.server()
        let (mine, _) = try api.twoDevices(server)
        let created = try send(server, "POST", "/api/users", #"""
            {"id":77,"name":"Walker","email":"walker@example.com","password":"w4lk","administrator":false,
             "deviceLimit":2,"expirationTime":"2099-01-01T00:00:00.000+00:00","attributes":{"speedUnit":"kmh"}}
            """#, auth: admin)
        #expect(created.status == 200 && created.headers["Content-Type"] == "application/json")
        let user = try object(created)
        let id = try #require(user["id"] as? Int)
        #expect(id != 77)
        #expect(user["name"] as? String == "Walker" && user["email"] as? String == "walker@example.com")
        #expect(user["administrator"] as? Bool == false && user["deviceLimit"] as? Int == 2)
        #expect(user["expirationTime"] as? String == "2099-01-01T00:00:00.000+00:00")
        #expect(user["attributes"] as? [String: String] == ["speedUnit": "kmh"] && user["password"] is NSNull)

        let walker = api.basic("walker@example.com", "w4lk")
        #expect(try deviceNames(server, auth: walker) == [])
        let link = #"{"userId":\#(id),"deviceId":\#(mine)}"#
        #expect(try send(server, "POST", "/api/permissions", link, auth: admin).status == 204)
        let login = try api.call(server, "POST", "/api/session", form: "email=walker%40example.com&password=w4lk")
        #expect(login.status == 200)
        #expect(try object(login)["id"] as? Int == id)
        let cookie = try #require(login.headers["Set-Cookie"]?.split(separator: ";").first.map(String.init))
        #expect(try deviceNames(server, auth: "Cookie: \(cookie)") == ["mine"])

        let everyone = try #require(try api.json(api.call(server, "GET", "/api/users", headers: [admin]))
            as? [[String: Any]])
        #expect(Set(everyone.compactMap { $0["email"] as? String }) == [APITests.admin.email, "walker@example.com"])
        let adminId = try #require(everyone.first { $0["email"] as? String == APITests.admin.email }?["id"] as? Int)
        #expect(try object(api.call(server, "GET", "/api/users/\(id)", headers: [walker]))["name"] as? String
            == "Walker")
        #expect(try api.call(server, "GET", "/api/users/\(adminId)", headers: [walker]).status == 403)
        #expect(try api.call(server, "GET", "/api/users/999999", headers: [admin]).status == 404)
        #expect(try api.call(server, "GET", "/api/users/abc", headers: [admin]).status == 400)

        #expect(try send(server, "DELETE", "/api/permissions", link, auth: admin).status == 204)
        #expect(try deviceNames(server, auth: walker) == [])
    }

    @Test func aUserEditsThemselvesButCannotRaiseTheirOwnRights() throws {
        let server = try api.server()
        let id = try addWalker(server, #","expirationTime":"2090-01-01T00:00:00Z""#)
        let walker = api.basic("walker@example.com", "w4lk")
        for body in [#"{"administrator":true}"#, #"{"deviceLimit":100}"#, #"{"disabled":true}"#,
                     #"{"expirationTime":"2099-01-01T00:00:00Z"}"#, #"{"expirationTime":null}"#] {
            #expect(try send(server, "PUT", "/api/users/\(id)", body, auth: walker).status == 403, "\(body)")
        }
        let rights = "SELECT administrator, devicelimit, expirationtime FROM tc_users WHERE id = $1"
        #expect(try TestDatabase.rows(server.databaseURL, rights, [String(id)]) == [["f", "-1", "2090-01-01 00:00:00"]])
        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"expirationTime":"2080-01-01T00:00:00Z"}"#,
                         auth: walker).status == 200, "an earlier expiry is theirs to choose")

        // As Traccar's web app does: the whole object back, with the fields changed.
        var mine = try object(api.call(server, "GET", "/api/users/\(id)", headers: [walker]))
        (mine["name"], mine["password"]) = ("Walker Two", "n3w pass")
        let body = String(decoding: try JSONSerialization.data(withJSONObject: mine), as: UTF8.self)
        let edited = try send(server, "PUT", "/api/users/\(id)", body, auth: walker)
        #expect(edited.status == 200)
        #expect(try object(edited)["name"] as? String == "Walker Two")
        #expect(try api.call(server, "GET", "/api/devices", headers: [walker]).status == 401, "the old password")
        let renewed = api.basic("walker@example.com", "n3w pass")
        #expect(try api.call(server, "GET", "/api/devices", headers: [renewed]).status == 200)

        let adminId = try #require(try TestDatabase.rows(server.databaseURL,
                                                         "SELECT id FROM tc_users WHERE administrator").first?[0])
        #expect(try send(server, "PUT", "/api/users/\(adminId)", #"{"name":"x"}"#, auth: renewed).status == 403)
        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"readonly":true,"deviceLimit":0}"#, auth: admin)
            .status == 200)
        let stored = "SELECT readonly, devicelimit, name FROM tc_users WHERE id = $1"
        #expect(try TestDatabase.rows(server.databaseURL, stored, [String(id)]) == [["t", "0", "Walker Two"]])
        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"readonly":false}"#, auth: renewed).status == 403,
                "a read-only user changes nothing")
        #expect(try send(server, "PUT", "/api/users/999999", #"{"name":"x"}"#, auth: admin).status == 404)
        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"name":""}"#, auth: admin).status == 400)
    }

    @Test func onlyAnAdministratorAddsOrDeletesUsersOrGivesThemDevices() throws {
        let server = try api.server()
        let (mine, theirs) = try api.twoDevices(server)
        let id = try addWalker(server)
        let walker = api.basic("walker@example.com", "w4lk")
        let adminId = try #require(try TestDatabase.rows(server.databaseURL,
                                                         "SELECT id FROM tc_users WHERE administrator").first?[0])
        #expect(try send(server, "POST", "/api/users", #"{"name":"x","email":"x@example.com","password":"p"}"#,
                         auth: walker).status == 403)
        #expect(try api.call(server, "DELETE", "/api/users/\(adminId)", headers: [walker]).status == 403)
        #expect(try send(server, "POST", "/api/permissions", #"{"userId":\#(id),"deviceId":\#(theirs)}"#,
                         auth: walker).status == 403)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_users") == 2)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_user_device") == 0)

        // Device and geofence links are theirs to make, for what they see.
        #expect(try send(server, "POST", "/api/permissions", #"{"userId":\#(id),"deviceId":\#(mine)}"#, auth: admin)
            .status == 204)
        let park = try send(server, "POST", "/api/geofences", #"{"name":"Park","area":"CIRCLE (52.5 13.4, 100)"}"#,
                            auth: walker)
        let geofence = try #require(try object(park)["id"] as? Int)
        #expect(try send(server, "POST", "/api/permissions", #"{"deviceId":\#(mine),"geofenceId":\#(geofence)}"#,
                         auth: walker).status == 204)
        #expect(try send(server, "POST", "/api/permissions", #"{"deviceId":\#(theirs),"geofenceId":\#(geofence)}"#,
                         auth: walker).status == 404)
        #expect(try TestDatabase.rows(server.databaseURL, "SELECT deviceid, geofenceid FROM tc_device_geofence")
            == [[String(mine), String(geofence)]])
        let linked = try #require(try api.json(api.call(server, "GET", "/api/geofences?deviceId=\(mine)",
                                                        headers: [walker])) as? [[String: Any]])
        #expect(linked.map { $0["name"] as? String } == ["Park"])

        #expect(try send(server, "POST", "/api/permissions", #"{"userId":\#(id),"deviceId":999999}"#, auth: admin)
            .status == 404)
        #expect(try send(server, "POST", "/api/permissions", #"{"userId":\#(id)}"#, auth: admin).status == 400)
        #expect(try send(server, "POST", "/api/permissions", #"{"userId":\#(id),"groupId":1}"#, auth: admin)
            .status == 400)
        #expect(try send(server, "DELETE", "/api/permissions", "not json", auth: admin).status == 400)
        #expect(try api.call(server, "DELETE", "/api/users/\(adminId)", headers: [admin]).status == 403,
                "not themselves")
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_users") == 2)
    }

    @Test func sqlMetacharactersInUserFieldsAreStoredAsWritten() throws {
        let server = try api.server()
        let created = try send(server, "POST", "/api/users", #"""
            {"name":"'; DROP TABLE tc_users; --","email":"o'brien\"--@example.com","login":"x' OR '1'='1",
             "password":"' OR ''='"}
            """#, auth: admin)
        #expect(created.status == 200)
        let id = try #require(try object(created)["id"] as? Int)
        let stored = try object(api.call(server, "GET", "/api/users/\(id)", headers: [admin]))
        #expect(stored["name"] as? String == "'; DROP TABLE tc_users; --")
        #expect(stored["email"] as? String == #"o'brien"--@example.com"#)
        #expect(stored["login"] as? String == "x' OR '1'='1")
        #expect(try TestDatabase.rows(server.databaseURL, "SELECT name FROM tc_users WHERE id = $1", [String(id)])
            == [["'; DROP TABLE tc_users; --"]])
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_users") == 2)
        #expect(try api.call(server, "GET", "/api/devices", headers: [api.basic("x' OR '1'='1", "' OR ''='")])
            .status == 200)
        #expect(try api.call(server, "GET", "/api/devices", headers: [api.basic("x' OR '1'='1", "x' OR '1'='1")])
            .status == 401)
    }

    @Test func deletingAUserRemovesTheirLinksAndSessionsButNotTheirDevices() throws {
        let server = try api.server()
        let (mine, _) = try api.twoDevices(server)
        let id = try addWalker(server)
        let park = try send(server, "POST", "/api/geofences", #"{"name":"Park","area":"CIRCLE (52.5 13.4, 100)"}"#,
                            auth: admin)
        let geofence = try #require(try object(park)["id"] as? Int)
        for link in [#"{"userId":\#(id),"deviceId":\#(mine)}"#, #"{"userId":\#(id),"geofenceId":\#(geofence)}"#] {
            #expect(try send(server, "POST", "/api/permissions", link, auth: admin).status == 204)
        }
        let token = String(decoding: try api.call(server, "POST", "/api/session/token",
                                                  headers: [api.basic("walker@example.com", "w4lk")]).body,
                           as: UTF8.self)
        #expect(try api.call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(token)"]).status == 200)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_user_device WHERE userid = $1",
                                       [String(id)]) == 1)

        #expect(try api.call(server, "DELETE", "/api/users/\(id)", headers: [admin]).status == 204)
        for table in ["tc_user_device", "tc_user_geofence", "it_sessions"] {
            #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM \(table) WHERE userid = $1",
                                           [String(id)]) == 0, "\(table)")
        }
        #expect(try api.call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(token)"]).status == 401)
        #expect(try deviceNames(server, auth: admin) == ["mine", "theirs"])
        #expect(try api.call(server, "GET", "/api/users/\(id)", headers: [admin]).status == 404)
        #expect(try api.call(server, "DELETE", "/api/users/\(id)", headers: [admin]).status == 404)
    }

    @Test func disabledAndExpiredUsersCannotLogIn() throws {
        let server = try api.server()
        let id = try addWalker(server, #","disabled":true"#)
        let walker = api.basic("walker@example.com", "w4lk")
        #expect(try api.call(server, "POST", "/api/session", form: "email=walker%40example.com&password=w4lk")
            .status == 401)
        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"disabled":false}"#, auth: admin).status == 200)
        let token = String(decoding: try api.call(server, "POST", "/api/session/token", headers: [walker]).body,
                           as: UTF8.self)
        #expect(try api.call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(token)"]).status == 200)

        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"expirationTime":"2020-01-01T00:00:00Z"}"#,
                         auth: admin).status == 200)
        #expect(try api.call(server, "GET", "/api/devices", headers: [walker]).status == 401)
        #expect(try api.call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(token)"]).status == 401)
        #expect(try api.call(server, "GET", "/api/session?token=\(token)").status == 401)

        #expect(try send(server, "PUT", "/api/users/\(id)", #"{"expirationTime":null}"#, auth: admin).status == 200)
        #expect(try api.call(server, "GET", "/api/devices", headers: ["Authorization: Bearer \(token)"]).status == 200)
    }
}
