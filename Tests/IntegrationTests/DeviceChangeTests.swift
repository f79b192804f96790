import Foundation
import Testing
import TestSupport
import TrackWire

/// A device changed through the API, or deleted behind the server's back, takes effect for the phone's next report:
/// the ingest writers do not keep using what they cached.
@Suite struct DeviceChangeTests {
    let api = APITests()

    func post(_ server: ServerProcess, _ uniqueId: String, second: Int) throws -> Int? {
        try RawHTTPClient(port: server.osmandPort).exchange(
            "GET /?id=\(uniqueId)&lat=52.5&lon=13.4&timestamp=\(1_790_000_000 + second) HTTP/1.1\r\nHost: x\r\n\r\n")?
            .status
    }

    func deviceId(_ server: ServerProcess, _ uniqueId: String) throws -> Int? {
        let rows = try TestDatabase.rows(server.databaseURL, "SELECT id FROM tc_devices WHERE uniqueid = $1", [uniqueId])
        return (rows.first?.first ?? nil).flatMap { Int($0) }
    }

    @Test func aDeviceDisabledThroughTheAPIIsRefusedAtItsNextReport() throws {
        let server = try api.server()
        #expect(try post(server, "walker-1", second: 1) == 200)
        let id = try #require(try deviceId(server, "walker-1"))
        let auth = api.basic(APITests.admin.email, APITests.admin.password)
        let body = #"{"name":"walker","uniqueId":"walker-1","disabled":true}"#
        let edited = try RawHTTPClient(port: server.webPort).exchange(
            "PUT /api/devices/\(id) HTTP/1.1\r\nHost: t\r\n\(auth)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(edited?.status == 200)
        #expect(try post(server, "walker-1", second: 2) == 403)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_positions") == 1)
    }

    @Test func aDeviceDeletedThroughTheAPIIsRegisteredAfreshAtItsNextReport() throws {
        let server = try api.server()
        #expect(try post(server, "walker-2", second: 1) == 200)
        let first = try #require(try deviceId(server, "walker-2"))
        let auth = api.basic(APITests.admin.email, APITests.admin.password)
        #expect(try api.call(server, "DELETE", "/api/devices/\(first)", headers: [auth]).status == 204)
        #expect(try post(server, "walker-2", second: 2) == 200)
        let second = try #require(try deviceId(server, "walker-2"))
        #expect(second != first)
        let rows = try TestDatabase.rows(server.databaseURL, "SELECT deviceid FROM tc_positions")
        #expect(rows == [[String(second)]], "the first device's position went with it; the new one has one")
    }

    @Test func aDeviceDeletedBySQLIsRegisteredAfreshNotRefusedForEver() throws {
        let server = try api.server()
        #expect(try post(server, "walker-3", second: 1) == 200)
        let first = try #require(try deviceId(server, "walker-3"))
        _ = try TestDatabase.rows(server.databaseURL, "DELETE FROM tc_devices WHERE id = $1 RETURNING id", [String(first)])
        #expect(try post(server, "walker-3", second: 2) == 200)
        let second = try #require(try deviceId(server, "walker-3"))
        #expect(second != first)
        #expect(try TestDatabase.count(server.databaseURL, "SELECT count(*) FROM tc_positions WHERE deviceid = $1",
                                       [String(second)]) == 1)
    }
}
