import Foundation
import Testing
import TestSupport

/// Home Assistant's Traccar library, pytraccar 2.1.1 (username and password), unchanged against itrack: every
/// call it makes, and its WebSocket subscription receiving a position posted on the OsmAnd port.
@Suite struct PytraccarTests {
    @Test func pytraccarSeesServerDevicesPositionsGeofencesEventsAndLivePositions() throws {
        guard let python = ProcessInfo.processInfo.environment["ITRACK_TEST_PYTHON"] else {
            throw ServerError(message: "ITRACK_TEST_PYTHON is not set: run the tests with scripts/test")
        }
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url, environment: [
            "ITRACK_ADMIN_EMAIL": "ha@example.com", "ITRACK_ADMIN_PASSWORD": "home-assistant",
        ])
        let phone = try RawHTTPClient(port: server.osmandPort)
        #expect(try phone.exchange("GET /?id=ha-phone&lat=52.5&lon=13.4 HTTP/1.1\r\nHost: t\r\n\r\n")?.status == 200)
        let auth = "Basic " + Data("ha@example.com:home-assistant".utf8).base64EncodedString()
        let body = #"{"name":"Home","area":"CIRCLE (52.5 13.4, 100)"}"#
        let created = try RawHTTPClient(port: server.webPort).exchange(
            "POST /api/geofences HTTP/1.1\r\nHost: t\r\nAuthorization: \(auth)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(created?.status == 200)
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_events (type, eventtime, deviceid, positionid, attributes)
            SELECT 'geofenceEnter', now() AT TIME ZONE 'UTC' - interval '1 hour', id, positionid, '{}' FROM tc_devices
            RETURNING id
            """)
        let script = """
            import asyncio, json, urllib.request, aiohttp
            from pytraccar import ApiClient
            async def main():
                async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
                    client = ApiClient(host="127.0.0.1", port=\(server.webPort), username="ha@example.com",
                                       password="home-assistant", client_session=session)
                    out = {"server": await client.get_server(), "devices": await client.get_devices(),
                           "positions": await client.get_positions(), "geofences": await client.get_geofences(),
                           "events": await client.get_reports_events()}
                    live = asyncio.Queue()
                    async def received(data):
                        await live.put(data)
                    task = asyncio.create_task(client.subscribe(received))
                    out["opening"] = await asyncio.wait_for(live.get(), 10)
                    urllib.request.urlopen("http://127.0.0.1:\(server.osmandPort)/?id=ha-phone&lat=52.6&lon=13.5").read()
                    while True:
                        data = await asyncio.wait_for(live.get(), 10)
                        if data["positions"]:
                            out["live"] = data
                            break
                    task.cancel()
                    print(json.dumps(out))
            asyncio.run(main())
            """
        let (status, output) = try Command.run(python, ["-c", script])
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").last, "\(output)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((result["server"] as? [String: Any])?["version"] as? String != nil)
        let devices = try #require(result["devices"] as? [[String: Any]])
        #expect(devices.map { $0["uniqueId"] as? String } == ["ha-phone"])
        #expect((result["positions"] as? [[String: Any]])?.first?["latitude"] as? Double == 52.5)
        #expect((result["geofences"] as? [[String: Any]])?.first?["name"] as? String == "Home")
        #expect((result["events"] as? [[String: Any]])?.first?["type"] as? String == "geofenceEnter")
        #expect(((result["opening"] as? [String: Any])?["positions"] as? [[String: Any]])?.count == 1)
        let live = try #require((result["live"] as? [String: Any])?["positions"] as? [[String: Any]])
        #expect(live.first?["latitude"] as? Double == 52.6)
    }
}
