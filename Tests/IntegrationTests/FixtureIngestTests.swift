import Foundation
import Testing
import TestSupport

/// Every captured request in `fixtures/osmand/`, sent to the real server, ends up as its expected row.
@Suite struct FixtureIngestTests {
    /// The part of `NAME.expected.json` that the stored row must match.
    struct Expected: Decodable {
        let status: Int
        let uniqueId: String?
        let fixTime: String?
        let outdated: Bool?
        let latitude, longitude, altitude, speed, course, accuracy: Double?
    }

    static let names: [String] = {
        let folder = RepositoryPaths.fixture("osmand").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".http") }.map { String($0.dropLast(5)) }.sorted()
    }()

    @Test func theFixtureFolderIsNotEmpty() {
        #expect(Self.names.count >= 20)
    }

    @Test func eachFixtureIsAnsweredAndStoredAsExpected() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        defer { _ = try? server.stop() }
        for name in Self.names {
            let expected = try JSONDecoder().decode(
                Expected.self, from: Data(try RepositoryPaths.fixtureBytes("osmand/\(name).expected.json")))
            let client = try RawHTTPClient(port: server.osmandPort)
            try client.send(try RepositoryPaths.fixtureBytes("osmand/\(name).http"))
            var response = try #require(try client.readResponse(), "\(name): no answer")
            if response.status == 100 { response = try #require(try client.readResponse(), "\(name): no answer") }
            #expect(response.status == expected.status, "\(name)")
            guard expected.status == 200, let uniqueId = expected.uniqueId else { continue }
            try checkRow(url: url, name: name, uniqueId: uniqueId, expected: expected)
        }
        let refused = try Self.names.filter { name in
            try JSONDecoder().decode(Expected.self, from: Data(try RepositoryPaths.fixtureBytes(
                "osmand/\(name).expected.json"))).status != 200
        }
        #expect(refused.count >= 8)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_positions") == Self.names.count - refused.count)
    }

    private func checkRow(url: String, name: String, uniqueId: String, expected: Expected) throws {
        let rows = try TestDatabase.rows(url, """
            SELECT to_char(p.fixtime, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), p.latitude, p.longitude, p.altitude, p.speed,
                   p.course, p.accuracy, p.valid
            FROM tc_positions p JOIN tc_devices d ON d.id = p.deviceid WHERE d.uniqueid = $1
            """, [uniqueId])
        let row = try #require(rows.first, "\(name): no row for \(uniqueId)")
        #expect(rows.count == 1, "\(name)")
        if expected.outdated == true {
            #expect(row[0] == "1980-01-06T00:00:00.000Z", "\(name): a first report without coordinates")
        } else if let fixTime = expected.fixTime, fixTime != "receivedAt" {
            let withMilliseconds = fixTime.contains(".") ? fixTime : fixTime.replacingOccurrences(of: "Z", with: ".000Z")
            #expect(row[0] == withMilliseconds, "\(name)")
        }
        let numbers = row[1...6].map { $0.flatMap(Double.init) }
        let wanted = [expected.latitude, expected.longitude, expected.altitude, expected.speed, expected.course,
                      expected.accuracy]
        for (column, (stored, value)) in zip(["latitude", "longitude", "altitude", "speed", "course", "accuracy"],
                                             zip(numbers, wanted)) {
            #expect(abs((stored ?? .nan) - (value ?? 0)) < 1e-9, "\(name): \(column) \(String(describing: stored))")
        }
    }
}
