import Foundation
import Testing
import TestSupport

/// The OsmAnd port as phones and hostile clients see it, against the real binary and PostgreSQL.
@Suite(.serialized) final class IngestHTTPTests {
    let url: String
    let server: ServerProcess

    init() throws {
        url = try TestDatabase.create()
        server = try ServerProcess(databaseURL: url, environment: [
            "ITRACK_SERVER_HEADERTIMEOUT": "1", "ITRACK_SERVER_TIMEOUT": "3",
        ])
    }

    deinit { _ = try? server.stop() }

    private func client() throws -> RawHTTPClient { try RawHTTPClient(port: server.osmandPort) }

    private func storedCount(_ uniqueId: String) throws -> Int {
        try TestDatabase.count(url, """
            SELECT count(*) FROM tc_positions p JOIN tc_devices d ON d.id = p.deviceid WHERE d.uniqueid = $1
            """, [uniqueId])
    }

    @Test func answersEmpty200OnlyOnceThePositionIsInTheTable() throws {
        let response = try #require(try client().exchange(
            "GET /?id=http-1&lat=52.5&lon=13.4&timestamp=1795000000 HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(try storedCount("http-1") == 1)
    }

    @Test func pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws {
        let connection = try client()
        let requests = (0..<3).map {
            "GET /?id=http-2&lat=52.\($0)&lon=13.4&timestamp=\(1_795_000_000 + $0) HTTP/1.1\r\nHost: x\r\n\r\n"
        }
        try connection.send(requests.joined())
        for _ in 0..<3 { #expect(try connection.readResponse()?.status == 200) }
        #expect(try storedCount("http-2") == 3)
    }

    @Test func connectionCloseIsHonoured() throws {
        let connection = try client()
        let response = try connection.exchange(
            "GET /?id=http-3&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(response?.status == 200)
        #expect(response?.headers["Connection"] == "close")
        #expect(connection.isClosedByServer())
    }

    @Test func chunkedBodyWithExpectContinueGets100Then200() throws {
        let connection = try client()
        try connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
        #expect(try connection.readResponse()?.status == 100)
        try connection.send("10\r\nid=http-4&lat=1&\r\n9\r\nlon=2.5&x\r\n0\r\n\r\n")
        #expect(try connection.readResponse()?.status == 200)
        #expect(try storedCount("http-4") == 1)
    }

    @Test func headIsAnsweredWithoutABody() throws {
        let connection = try client()
        try connection.send("HEAD /?id=http-5&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try connection.readResponse(bodyless: true)
        #expect(response?.status == 200)
        #expect(try storedCount("http-5") == 1)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 9000) + "\r\n\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n", 413),
        ("GET /?lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /?id=bad-1&lat=91&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /?id=bad-2&lat=NaN&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /?id=bad-3&lat=1e400&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /?id=bad-4&lat=1&lon=2&note=%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ])
    func badInputGetsAClearAnswer(request: String, status: Int) throws {
        let response = try #require(try client().exchange(request))
        #expect(response.status == status)
        #expect(!response.body.isEmpty, "every refusal says why in one line")
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_devices WHERE uniqueid LIKE 'bad-%'") == 0)
    }

    @Test func aSlowClientGets408AndTheServerCarriesOn() throws {
        let slow = try client()
        try slow.send("GET /?id=slow HTTP/1.1\r\nHo")
        let response = try slow.readResponse()
        #expect(response?.status == 408)
        #expect(try client().exchange("GET /?id=http-6&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
    }

    @Test func idleConnectionsAreClosed() throws {
        let idle = try client()
        #expect(try idle.exchange("GET /?id=http-7&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
        Thread.sleep(forTimeInterval: 4.5)
        #expect(idle.isClosedByServer())
    }

    @Test func clientsThatVanishMidRequestAndManyIdleOnesDoNotHurt() throws {
        for index in 0..<50 {
            let vanishing = try client()
            try vanishing.send("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nid=gone-\(index)")
            vanishing.finishSending()
        }
        let idle = try (0..<1000).map { _ in try client() }
        #expect(try client().exchange("GET /?id=http-8&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
        #expect(server.isRunning)
        withExtendedLifetime(idle) {}
    }

    @Test func healthReadyAndMetricsAnswerOnTheWebPort() throws {
        let web = try RawHTTPClient(port: server.webPort)
        #expect(try web.exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 200)
        let ready = try #require(try web.exchange("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(ready.status == 200)
        #expect(String(decoding: ready.body, as: UTF8.self).contains(#""database":"up""#))
        _ = try client().exchange("GET /?id=http-9&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")
        let metrics = String(decoding: try #require(try web.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).body,
                             as: UTF8.self)
        #expect(metrics.contains(#"itrack_positions_total{protocol="osmand",outcome="stored",reason=""}"#))
        #expect(try web.exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 23\r\n\r\nid=http-10&lat=1&lon=2&")?.status == 200)
        #expect(try storedCount("http-10") == 1)
    }
}

/// Registration off: unknown phones are refused with Traccar's statuses, per message format.
@Suite struct UnknownDeviceTests {
    @Test func queryGets400AndJSONGets404() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url, environment: ["ITRACK_DATABASE_REGISTERUNKNOWN": "false"])
        defer { _ = try? server.stop() }
        let client = try RawHTTPClient(port: server.osmandPort)
        #expect(try client.exchange("GET /?id=nobody&lat=1&lon=2 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
        let json = #"{"device_id":"nobody","location":{"timestamp":"2026-11-18T20:26:40Z","coords":{"latitude":1,"# +
            #""longitude":2,"speed":0,"heading":0,"accuracy":5,"altitude":1}}}"#
        #expect(try client.exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(json.utf8.count)\r\n\r\n" + json)?.status == 404)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_devices") == 0)
    }
}
