import Foundation
import Testing
import TestSupport

/// `log.format=json`: every line a JSON object an aggregator can index, repeated bad input logged once.
@Suite struct LogTests {
    @Test func jsonLogsCarryContextAndRepeatedBadInputIsLoggedOnce() throws {
        let server = try ServerProcess(databaseURL: try TestDatabase.create(), environment: ["ITRACK_LOG_FORMAT": "json"])
        let client = try RawHTTPClient(port: server.osmandPort)
        for _ in 0..<20 {
            #expect(try client.exchange("GET /?lat=52.5&lon=13.4 HTTP/1.1\r\nHost: x\r\n\r\n")?.status == 400)
        }
        #expect(try server.stop() == 0)

        let lines = server.log.split(separator: "\n").map(String.init)
        let all = try lines.map { line in
            try #require(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
        func entries(_ message: String) -> [[String: Any]] { all.filter { $0["message"] as? String == message } }
        let listening = try #require(entries("listening").first)
        #expect(listening["osmand"] as? String == String(server.osmandPort))
        #expect(listening["level"] as? String == "info")
        let refused = entries("request refused")
        #expect(refused.count == 1, "20 identical bad requests, one line")
        let first = try #require(refused.first)
        #expect(first["protocol"] as? String == "osmand")
        #expect(first["reason"] as? String == "no id or deviceid parameter")
        #expect((first["remote"] as? String ?? "").hasPrefix("127.0.0.1:"))
        #expect(first["level"] as? String == "notice")
        #expect(entries("stopped").count == 1)
        #expect(all.allSatisfy { ($0["time"] as? String)?.hasSuffix("Z") == true })
    }

    @Test func anUnknownLogFormatStopsTheServerWithAClearError() throws {
        let (status, output) = try Command.run(try ServerProcess.binary().path, ["serve"],
                                               environment: ["ITRACK_LOG_FORMAT": "xml"])
        #expect(status != 0)
        #expect(output.contains("log.format: expected text or json, got 'xml'"))
    }
}
