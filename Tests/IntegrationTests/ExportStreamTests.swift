import Foundation
import Testing
import TestSupport
import TrackWire

/// Position exports are streamed: a long track goes out chunk by chunk while the server's memory stays flat, and
/// a client that leaves, stalls or loses the database mid-way never takes the server down with it.
@Suite struct ExportStreamTests {
    static let rows = 200_000
    /// The seeded track: one position a second from here.
    static let start = "2026-11-20T00:00:00Z"
    static let range = "from=2026-11-20T00:00:00Z&to=2026-11-23T00:00:00Z"

    let api = APITests()

    /// A server whose device `walker` has `rows` positions; returns it and the device id.
    ///
    /// The in-process analytics are off: catching up on the seeded rows would take more memory than any export,
    /// and blur what the memory test measures.
    func seededServer(environment: [String: String] = [:]) throws -> (ServerProcess, Int) {
        let server = try ServerProcess(databaseURL: try TestDatabase.create(), environment: [
            "ITRACK_ADMIN_EMAIL": APITests.admin.email, "ITRACK_ADMIN_PASSWORD": APITests.admin.password,
            "ITRACK_ANALYTICS_ENABLE": "false",
        ].merging(environment) { $1 })
        let device = try TestDatabase.devices(server.databaseURL, [("walker", "walker")])[0]
        _ = try TestDatabase.rows(server.databaseURL, """
            INSERT INTO tc_positions (deviceid, protocol, servertime, devicetime, fixtime, valid, latitude, longitude,
                                      altitude, speed, course, accuracy, attributes)
            SELECT $1, 'osmand', t, t, t, true, 52 + n * 1e-6, 13 + n * 1e-6, n % 50, n % 30 * 0.1, n % 360, 5,
                   '{"batteryLevel":' || n % 100 || '.0}'
            FROM generate_series(0, $2 - 1) n
            CROSS JOIN LATERAL (SELECT timestamp '2026-11-20' + n * interval '1 second' AS t) x
            """, [String(device), String(Self.rows)])
        // As autovacuum would soon: without statistics the page query sorts every remaining row for each page.
        _ = try TestDatabase.rows(server.databaseURL, "ANALYZE tc_positions")
        return (server, device)
    }

    var admin: String { api.basic(APITests.admin.email, APITests.admin.password) }

    func request(_ target: String, method: String = "GET", version: String = "1.1") -> String {
        "\(method) \(target) HTTP/\(version)\r\nHost: test\r\n\(admin)\r\n\r\n"
    }

    @Test func twoHundredThousandPositionsStreamAsCSVAndGeoJSONInBoundedMemory() throws {
        let (server, device) = try seededServer()
        let client = try RawHTTPClient(port: server.webPort)
        // A small export first, so that what every request needs once is in the baseline.
        try client.send(request("/api/positions/csv?deviceId=\(device)&from=\(Self.start)&to=\(Self.start)"))
        #expect(try client.readStreamed { _ in true }?.complete == true)
        let before = try memory(of: server)

        try client.send(request("/api/positions/csv?deviceId=\(device)&\(Self.range)"))
        var lines = LineTail()
        let csv = try #require(try client.readStreamed { lines.add($0) })
        #expect(csv.head.status == 200 && csv.chunked && csv.complete)
        #expect(csv.head.headers["Content-Type"] == "text/csv; charset=utf-8")
        #expect(csv.head.headers["Content-Length"] == nil)
        #expect(lines.count == Self.rows + 1, "the header line and one line per position")
        #expect(lines.first.hasPrefix("id,deviceid,uniqueid,fixtime,latitude,longitude"))
        let firstRow = lines.second.split(separator: ",").map(String.init)
        let lastRow = lines.last.split(separator: ",").map(String.init)
        try #require(firstRow.count >= 6 && lastRow.count >= 6)
        #expect(Array(firstRow[1...5]) == [String(device), "walker", "2026-11-20T00:00:00.000Z", "52.0", "13.0"])
        #expect(Array(lastRow[1...5])
                == [String(device), "walker", "2026-11-22T07:33:19.000Z", "52.199999", "13.199999"])
        #expect(Int64(lastRow[0]).flatMap { last in Int64(firstRow[0]).map { last - $0 } } == Int64(Self.rows - 1))

        // The same connection goes on after the last chunk.
        try client.send(request("/api/positions/geojson?deviceId=\(device)&\(Self.range)"))
        var document: [UInt8] = []
        let geojson = try #require(try client.readStreamed {
            document += $0
            return true
        })
        #expect(geojson.head.status == 200 && geojson.chunked && geojson.complete)
        let after = try memory(of: server)

        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document)) as? [String: Any])
        let features = try #require(parsed["features"] as? [[String: Any]])
        #expect(parsed["type"] as? String == "FeatureCollection" && parsed["name"] as? String == "walker")
        #expect(features.count == Self.rows)
        let times = [features.first, features.last].map { ($0?["properties"] as? [String: Any])?["fixTime"] as? String }
        #expect(times == ["2026-11-20T00:00:00.000Z", "2026-11-22T07:33:19.000Z"])

        let growth = after.peak - before.peak
        let smallest = min(csv.bodyBytes, geojson.bodyBytes)
        print("export memory: CSV \(csv.bodyBytes / 1024) KiB, GeoJSON \(geojson.bodyBytes / 1024) KiB; "
              + "server peak RSS \(before.peak / 1024) KiB before, \(after.peak / 1024) KiB after "
              + "(+\(growth / 1024) KiB), RSS now \(after.resident / 1024) KiB")
        // Built in memory, a body would need its own size at least twice over (the body, then the response bytes):
        // 170 MB more when this was tried. Streamed, the growth is a few MB of pages, chunks and thread arenas.
        #expect(smallest > 20 << 20, "the exports are large enough to show a body held in memory")
        #expect(growth < smallest / 2, "peak RSS grew by \(growth) bytes for bodies of \(smallest)+ bytes")

        try client.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        #expect(try client.readResponse()?.status == 200, "keep-alive continues after a streamed answer")
    }

    @Test func headGetsTheHeadAloneAndHTTP10GetsAnUnchunkedBodyEndedByClose() throws {
        let (server, device) = try seededServer()
        let thousand = "deviceId=\(device)&from=\(Self.start)&to=2026-11-20T00:16:39Z"
        let client = try RawHTTPClient(port: server.webPort)
        try client.send(request("/api/positions/gpx?\(thousand)", method: "HEAD"))
        let head = try #require(try client.readStreamed(bodyless: true) { _ in true })
        #expect(head.head.status == 200 && head.chunked && head.bodyBytes == 0)
        #expect(head.head.headers["Content-Type"] == "application/gpx+xml")
        try client.send(request("/api/positions/gpx?\(thousand)"))
        var gpx: [UInt8] = []
        let get = try #require(try client.readStreamed {
            gpx += $0
            return true
        })
        #expect(get.complete && String(decoding: gpx, as: UTF8.self).components(separatedBy: "<trkpt ").count == 1001,
                "the HEAD left nothing on the connection that the next answer could be confused with")

        let old = try RawHTTPClient(port: server.webPort)
        try old.send(request("/api/positions/csv?\(thousand)", version: "1.0"))
        var lines = LineTail()
        let csv = try #require(try old.readStreamed { lines.add($0) })
        #expect(csv.head.status == 200 && !csv.chunked && csv.head.headers["Connection"] == "close")
        #expect(csv.complete && lines.count == 1001, "the body ends with the connection")
        #expect(old.isClosedByServer())
    }

    @Test func clientsThatLeaveMidwayLeaveTheServerHealthyAndItsConnectionsFree() throws {
        let (server, device) = try seededServer()
        // More abandoned exports than the API has database connections.
        for _ in 0..<6 {
            let client = try RawHTTPClient(port: server.webPort)
            try client.send(request("/api/positions/geojson?deviceId=\(device)&\(Self.range)"))
            var received = 0
            let partial = try #require(try client.readStreamed {
                received += $0.count
                return received < 100_000
            })
            #expect(partial.head.status == 200 && !partial.complete)
        }
        try waitFor("six exports to notice their clients left", server) {
            $0.components(separatedBy: "export abandoned by the client").count - 1 >= 6
        }
        #expect(try api.call(server, "GET", "/api/devices", headers: [admin]).status == 200)
        let client = try RawHTTPClient(port: server.webPort)
        try client.send(request("/api/positions/csv?deviceId=\(device)&\(Self.range)"))
        var lines = LineTail()
        #expect(try client.readStreamed { lines.add($0) }?.complete == true && lines.count == Self.rows + 1)
        #expect(!server.log.contains("streamed response failed"), "a client leaving is not a server error")
    }

    @Test func aClientThatStopsReadingIsCutOffAfterTheIdleTimeout() throws {
        let (server, device) = try seededServer(environment: ["ITRACK_SERVER_TIMEOUT": "2"])
        let client = try RawHTTPClient(port: server.webPort)
        try client.send(request("/api/positions/csv?deviceId=\(device)&\(Self.range)"))
        try waitFor("the stalled export to be cut off", server) { $0.contains("export abandoned by the client") }
        let cut = try #require(try client.readStreamed { _ in true })
        #expect(cut.head.status == 200 && cut.chunked && !cut.complete, "what was sent ends without the last chunk")
        #expect(try api.call(server, "GET", "/api/devices", headers: [admin]).status == 200)
    }

    @Test func aDatabaseFailureMidStreamTruncatesTheBodyInsteadOfEndingIt() throws {
        let (server, device) = try seededServer()
        let client = try RawHTTPClient(port: server.webPort)
        try client.send(request("/api/positions/csv?deviceId=\(device)&\(Self.range)"))
        var received = 0
        var terminated = false
        let cut = try #require(try client.readStreamed { bytes in
            received += bytes.count
            if received > 100_000 && !terminated {
                // The API's pooled database connections die while the export is under way.
                terminated = true
                _ = try TestDatabase.rows(server.databaseURL, """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'itrack-api' AND datname = current_database()
                    """)
            }
            return true
        })
        #expect(terminated && cut.head.status == 200 && !cut.complete, "the body is cut short, not completed")
        try waitFor("the failure to be logged", server) { $0.contains("streamed response failed") }
    }

    /// Polls the server's log until `condition` holds, for up to 60 s.
    func waitFor(_ what: String, _ server: ServerProcess, _ condition: (String) -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: 60)
        while !condition(server.log) {
            guard Date() < deadline else { throw ServerError(message: "waited 60 s for \(what); log:\n\(server.log)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The server's peak and current resident set, in bytes, from `/proc/<pid>/status`.
    func memory(of server: ServerProcess) throws -> (peak: Int, resident: Int) {
        let status = try String(contentsOfFile: "/proc/\(server.pid)/status", encoding: .utf8)
        func kibibytes(_ field: String) throws -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
            let value = line?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
            guard let value, let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw ServerError(message: "no \(field) in /proc/\(server.pid)/status")
            }
            return number * 1024
        }
        return (try kibibytes("VmHWM"), try kibibytes("VmRSS"))
    }
}

/// Counts the lines of a body read piece by piece and keeps the first two and the last.
struct LineTail {
    private(set) var count = 0
    private var head: [UInt8] = []
    private var tail: [UInt8] = []

    /// Always true, to go on reading.
    mutating func add(_ bytes: [UInt8]) -> Bool {
        count += bytes.count(where: { $0 == 0x0A })
        if head.count < 4096 { head += bytes.prefix(4096 - head.count) }
        tail = Array((tail + bytes).suffix(4096))
        return true
    }

    var first: String { line(head, 0) }
    var second: String { line(head, 1) }
    var last: String {
        String(decoding: tail, as: UTF8.self).components(separatedBy: "\r\n").last { !$0.isEmpty } ?? ""
    }

    private func line(_ bytes: [UInt8], _ index: Int) -> String {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        return index < lines.count ? lines[index] : ""
    }
}
