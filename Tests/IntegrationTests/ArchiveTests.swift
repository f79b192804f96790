import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres
import TrackS3
import TrackZlib

/// `itrack archive` against the real S3-compatible server `scripts/test` starts (SeaweedFS, checking signatures).
@Suite(.serialized) struct ArchiveTests {
    static let day = "2026-11-20"
    static let key = "lake/positions/dt=2026-11-20/part-00000.csv.gz"

    /// A migrated database with `rows` positions received on `day`, one at the start of the day after and one
    /// at the end of the day before (they must stay out).
    func database(rows: Int) throws -> String {
        let url = try TestDatabase.createMigrated()
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_devices (name, uniqueid) VALUES ('a', 'walker "a", with a comma'), ('b', 'b') RETURNING id
            """)
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_positions (deviceid, protocol, servertime, devicetime, fixtime, valid, latitude, longitude,
                                      altitude, speed, course, accuracy, attributes)
            SELECT (SELECT min(id) FROM tc_devices) + n % 2, 'osmand', t, t, t - interval '3 days', n % 7 <> 0,
                   48 + n * 1e-6, 2 + n * 1e-6, n % 50, n % 30 * 0.1, n % 360, 5,
                   '{"batteryLevel":' || n % 100 || '.0,"note":"line\none, \\"quoted\\""}'
            FROM generate_series(0, $1 - 1) n
            CROSS JOIN LATERAL (SELECT timestamp '2026-11-20' + n * (86399.0 / $1) * interval '1 second' AS t) x
            RETURNING id
            """, [String(rows)])
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_positions (deviceid, protocol, servertime, devicetime, fixtime, valid, latitude, longitude,
                                      altitude, speed, course)
            SELECT min(id), 'osmand', t, t, t, true, 1, 1, 0, 0, 0 FROM tc_devices,
                   (VALUES (timestamp '2026-11-19 23:59:59.999'), (timestamp '2026-11-21 00:00:00')) v(t)
            GROUP BY t RETURNING id
            """)
        return url
    }

    /// A bucket of its own, and the environment `itrack archive` needs to write to it.
    func lake(_ purpose: String, url: String, secret: String? = nil) throws -> (S3Client, [String: String]) {
        let server = try S3Server.fromEnvironment()
        let settings = S3Client.Settings(endpoint: server.endpoint, region: "us-east-1",
                                         bucket: S3Server.uniqueBucket(purpose), pathStyle: true,
                                         accessKey: server.accessKey, secretKey: server.secretKey)
        let client = try S3Client(settings: settings)
        try client.createBucket()
        return (client, [
            "ITRACK_DATABASE_URL": url, "ITRACK_ARCHIVE_S3_ENDPOINT": server.endpoint,
            "ITRACK_ARCHIVE_S3_BUCKET": settings.bucket, "ITRACK_ARCHIVE_S3_PATHSTYLE": "true",
            "ITRACK_ARCHIVE_S3_PREFIX": "/lake/positions/", "AWS_ACCESS_KEY_ID": server.accessKey,
            "AWS_SECRET_ACCESS_KEY": secret ?? server.secretKey, "ITRACK_ARCHIVE_PARTSIZE": String(5 * 1024 * 1024),
        ])
    }

    func archive(_ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        try Command.run(try ServerProcess.binary().path, ["archive"] + arguments, environment: environment)
    }

    @Test func aDayIsArchivedOnceCompleteAndReadableAsTheTableHasIt() throws {
        let url = try database(rows: 20_000)
        let (lake, environment) = try lake("day", url: url)
        let (status, output) = try archive(["--day", Self.day], environment: environment)
        #expect(status == 0, "\(output)")

        let object = try lake.getObject(key: Self.key)
        let csv = String(decoding: try GzipDecompressor.decompress(object), as: UTF8.self)
        #expect(csv.hasPrefix(ArchiveManifest.columns.joined(separator: ",") + "\n"))
        // The rows themselves are compared with the table by DuckDB below; a CSV row may span lines.
        #expect(csv.contains(#""walker ""a"", with a comma""#), "CSV quoting of the unique id")
        #expect(csv.contains("line\none"), "a newline inside a quoted attribute survives")

        let runs = try TestDatabase.rows(url, "SELECT day, key, status, rows, bytes, sha256 FROM it_archive_runs")
        #expect(runs.count == 1)
        #expect(runs.first?[0...3] == [Self.day, Self.key, "succeeded", "20000"])
        #expect(runs.first?[4] == String(object.count))
        #expect(runs.first?[5] == SHA256.hex(SHA256.hash(object)))

        let manifest = try #require(try JSONSerialization.jsonObject(
            with: Data(lake.getObject(key: "lake/positions/dt=2026-11-20/_manifest.json"))) as? [String: Any])
        #expect(manifest["rows"] as? Int == 20_000 && manifest["bytes"] as? Int == object.count)
        #expect(manifest["sha256"] as? String == SHA256.hex(SHA256.hash(object)))
        #expect(manifest["day"] as? String == Self.day && manifest["schemaVersion"] as? Int == 1)
        #expect(manifest["firstServerTime"] as? String == "2026-11-20T00:00:00.000+00:00")
        #expect(manifest["lastFixTime"] as? String != nil)
        #expect(try lake.listObjects(prefix: "lake/").map(\.key).sorted() == [
            "lake/positions/dt=2026-11-20/_manifest.json", Self.key,
        ])

        // A second run of the same day replaces the object: still exactly one, and a second run on record.
        #expect(try archive(["--day", Self.day], environment: environment).0 == 0)
        #expect(try lake.listObjects(prefix: "lake/positions/dt=2026-11-20/").count == 2)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM it_archive_runs WHERE status = 'succeeded'") == 2)
        #expect(try lake.getObject(key: Self.key) == object, "the same rows give the same bytes")
    }

    @Test func withoutADayEveryCompleteDayNotArchivedIsAndTodayIsNot() throws {
        let url = try database(rows: 100)
        _ = try TestDatabase.rows(url, """
            INSERT INTO tc_positions (deviceid, protocol, servertime, devicetime, fixtime, valid, latitude, longitude,
                                      altitude, speed, course)
            SELECT min(id), 'osmand', now() AT TIME ZONE 'UTC', now(), now(), true, 1, 1, 0, 0, 0 FROM tc_devices
            RETURNING id
            """)
        let (lake, environment) = try lake("missing", url: url)
        let (dryStatus, dryOutput) = try archive(["--dry-run"], environment: environment)
        #expect(dryStatus == 0 && dryOutput.contains("would archive") && dryOutput.contains("day=2026-11-19"))
        #expect(try lake.listObjects(prefix: "").isEmpty, "a dry run uploads nothing")

        #expect(try archive([], environment: environment).0 == 0)
        let archived = try TestDatabase.rows(url, "SELECT day FROM it_archive_runs WHERE status = 'succeeded' ORDER BY day")
        let today = ArchiveDay(containing: Date())
        #expect(archived.first == ["2026-11-19"] && archived.last == [today.advanced(by: -1).description])
        #expect(archived.count == Int(today.daysSinceEpoch - ArchiveDay("2026-11-19")!.daysSinceEpoch))
        #expect(try archive([], environment: environment).0 == 0)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM it_archive_runs") == archived.count,
                "archived days are not archived again")

        // Retention: positions of archived days older than a day go, except a device's latest; today's stay.
        _ = try TestDatabase.rows(url, """
            UPDATE tc_devices SET positionid = (SELECT min(id) FROM tc_positions) WHERE id = (SELECT min(id) FROM tc_devices)
            RETURNING id
            """)
        var retention = environment
        retention["ITRACK_ARCHIVE_RETENTIONDAYS"] = "1"
        #expect(try archive([], environment: retention).0 == 0)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_positions") == 2,
                "a device's latest position and today's are kept")
        #expect(try TestDatabase.count(url, """
            SELECT count(*) FROM tc_positions WHERE id = (SELECT positionid FROM tc_devices WHERE positionid IS NOT NULL)
            """) == 1)
    }

    @Test func aWrongSecretIsAClear403AndAFailedRun() throws {
        let url = try database(rows: 10)
        let (lake, environment) = try lake("secret", url: url, secret: "not-the-secret")
        let (status, output) = try archive(["--day", Self.day], environment: environment)
        #expect(status != 0)
        #expect(output.contains("403") && output.contains("SignatureDoesNotMatch"), "\(output)")
        #expect(!output.contains("not-the-secret"), "the secret is never printed")
        let runs = try TestDatabase.rows(url, "SELECT status, error FROM it_archive_runs")
        #expect(runs.count == 1 && runs.first?[0] == "failed" && runs.first?[1]?.contains("403") == true)
        #expect(try lake.listObjects(prefix: "").isEmpty)
    }

    @Test func aRunKilledMidUploadLeavesNoObjectAndTheNextCompletesIt() throws {
        // Several 5 MiB parts of gzip: the run is still uploading when it is killed.
        let url = try database(rows: 400_000)
        let (lake, environment) = try lake("killed", url: url)
        let process = Process()
        process.executableURL = try ServerProcess.binary()
        process.arguments = ["archive", "--day", Self.day]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 60)
        while try TestDatabase.count(url, "SELECT count(*) FROM it_archive_runs WHERE uploadid IS NOT NULL") == 0,
              process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(process.isRunning, "killed before it finished")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try lake.headObject(key: Self.key) == nil, "no half-written object is visible")
        #expect(try lake.listMultipartUploads(prefix: "lake/").count == 1)

        let (status, output) = try archive(["--day", Self.day], environment: environment)
        #expect(status == 0, "\(output)")
        #expect(try lake.listMultipartUploads(prefix: "lake/").isEmpty, "the interrupted upload was aborted")
        let runs = try TestDatabase.rows(url, "SELECT status, rows FROM it_archive_runs ORDER BY id")
        #expect(runs.map { $0[0] } == ["failed", "succeeded"])
        #expect(runs.last?[1] == "400000")
        let object = try lake.getObject(key: Self.key)
        #expect(try GzipDecompressor.decompress(object).count(where: { $0 == UInt8(ascii: "\n") }) > 400_000)
    }

    @Test func duckDBReadsTheHivePartitionWithTheTablesRows() throws {
        guard let python = ProcessInfo.processInfo.environment["ITRACK_TEST_PYTHON"] else {
            throw ServerError(message: "ITRACK_TEST_PYTHON is not set: run the tests with scripts/test")
        }
        let url = try database(rows: 5_000)
        let (lake, environment) = try lake("duckdb", url: url)
        #expect(try archive(["--day", Self.day], environment: environment).0 == 0)
        // The lake as a reader sees it: the bucket's keys as a directory tree.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lake-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for object in try lake.listObjects(prefix: "lake/") {
            let file = root.appendingPathComponent(object.key)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(lake.getObject(key: object.key)).write(to: file)
        }
        let script = """
            import duckdb, sys
            rows = duckdb.sql("SELECT dt, count(*), sum(id), count(DISTINCT uniqueid) FROM read_csv("
                              "'\(root.path)/lake/positions/*/*.csv.gz', hive_partitioning = true) GROUP BY dt").fetchall()
            print(rows)
            """
        let (status, output) = try Command.run(python, ["-c", script])
        let sum = try TestDatabase.rows(url, """
            SELECT sum(id) FROM tc_positions WHERE servertime >= '2026-11-20' AND servertime < '2026-11-21'
            """)[0][0] ?? ""
        #expect(status == 0, "\(output)")
        #expect(output.contains("(datetime.date(2026, 11, 20), 5000, \(sum), 2)") || output.contains("('2026-11-20', 5000, \(sum), 2)"),
                "\(output)")
    }
}
