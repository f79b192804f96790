import Foundation
import Testing
import TestSupport
import TrackCore
import TrackPostgres

@Suite struct PositionWriterTests {
    let fix = 1_795_000_000.0  // 2026-11-18 11:06:40 UTC

    @Test func storesEveryFieldAndMovesTheDevicesLatestPosition() async throws {
        let harness = try WriterHarness()
        let attributes: Attributes = ["batteryLevel": .double(87), "charge": .bool(true), "alarm": .string("sos")]
        let received = Date(timeIntervalSince1970: fix + 3)
        let outcomes = await harness.write([report("phone-1", fix: fix, attributes: attributes)], receivedAt: received)
        #expect(outcomes == [.stored])
        let rows = try TestDatabase.rows(harness.url, """
            SELECT p.protocol, d.uniqueid, d.name, p.servertime, p.devicetime, p.fixtime, p.valid, p.latitude,
                   p.longitude, p.altitude, p.speed, p.course, p.accuracy, p.attributes, p.network,
                   d.positionid = p.id, d.lastupdate > now() AT TIME ZONE 'UTC' - interval '1 minute'
            FROM tc_positions p JOIN tc_devices d ON d.id = p.deviceid
            """)
        #expect(rows == [[
            "osmand", "phone-1", "phone-1", "2026-11-18 11:06:43", "2026-11-18 11:06:40", "2026-11-18 11:06:40",
            "t", "52.5", "13.4", "34.5", "2.5", "90", "7",
            #"{"batteryLevel":87.0,"charge":true,"alarm":"sos"}"#, nil, "t", "t",
        ]])
    }

    @Test func aRetriedPointIsStoredOnceAndAnsweredAsStored() async throws {
        let harness = try WriterHarness()
        #expect(await harness.write(report("phone-2", fix: fix)) == .stored)
        #expect(await harness.write([report("phone-2", fix: fix), report("phone-2", fix: fix)]) == [.stored, .stored])
        #expect(try TestDatabase.count(harness.url, "SELECT count(*) FROM tc_positions") == 1)
    }

    @Test func aRestartedWriterReadsKnownDevicesWithoutRegisteringThemAgain() async throws {
        let first = try WriterHarness()
        #expect(await first.write(report("known", fix: 1_000)) == .stored)
        let restarted = try WriterHarness(url: first.url)
        #expect(await restarted.write([report("known", fix: 1_010), report("new", fix: 1_010)]) == [.stored, .stored])
        let devices = try TestDatabase.rows(first.url, "SELECT uniqueid, id FROM tc_devices ORDER BY id")
        #expect(devices.map { $0[0] } == ["known", "new"])
        #expect(devices.map { $0[1] } == ["1", "2"], "no device id is spent on trying to register a known device")
        #expect(try TestDatabase.count(first.url, "SELECT count(*) FROM tc_positions") == 3)
    }

    @Test func aLateFixIsStoredButDoesNotBecomeLatest() async throws {
        let harness = try WriterHarness()
        #expect(await harness.write(report("phone-3", fix: fix + 60, latitude: 1)) == .stored)
        #expect(await harness.write(report("phone-3", fix: fix, latitude: 2)) == .stored)
        let latest = try TestDatabase.rows(harness.url, """
            SELECT p.latitude FROM tc_devices d JOIN tc_positions p ON p.id = d.positionid
            """)
        #expect(latest == [["1.0"]] || latest == [["1"]])
        #expect(try TestDatabase.count(harness.url, "SELECT count(*) FROM tc_positions") == 2)
    }

    @Test func unknownDevicesAreRefusedWhenRegistrationIsOff() async throws {
        let harness = try WriterHarness { $0.setting(ConfigKeys.registerUnknown, to: false) }
        #expect(await harness.write(report("stranger", fix: fix)) == .unknownDevice)
        _ = try TestDatabase.rows(harness.url, "INSERT INTO tc_devices (name, uniqueid) VALUES ('Known', 'known')")
        #expect(await harness.write(report("known", fix: fix)) == .stored)
        #expect(try TestDatabase.count(harness.url, "SELECT count(*) FROM tc_devices") == 1)
    }

    @Test func idsOutsideTheRegistrationPatternAreRefused() async throws {
        let harness = try WriterHarness { $0.setting(ConfigKeys.registerUnknownRegex, to: #"\d{8}"#) }
        #expect(await harness.write(report("12345678", fix: fix)) == .stored)
        #expect(await harness.write(report("not-digits", fix: fix)) == .unknownDevice)
    }

    @Test func disabledDevicesAreRefused() async throws {
        let harness = try WriterHarness()
        _ = try TestDatabase.rows(harness.url,
                              "INSERT INTO tc_devices (name, uniqueid, disabled) VALUES ('Off', 'off', true)")
        #expect(await harness.write(report("off", fix: fix)) == .deviceDisabled)
        #expect(try TestDatabase.count(harness.url, "SELECT count(*) FROM tc_positions") == 0)
    }

    @Test func filteredPositionsAreAnsweredButNotStored() async throws {
        let harness = try WriterHarness {
            $0.setting(ConfigKeys.filterZero, to: true).setting(ConfigKeys.filterDuplicate, to: true)
        }
        let now = Date().timeIntervalSince1970
        #expect(await harness.write(report("phone-4", fix: now + 2 * 86400)) == .filtered(.future))
        #expect(await harness.write(report("phone-4", fix: now, latitude: 0, longitude: 0)) == .filtered(.zero))
        #expect(await harness.write(report("phone-4", fix: now)) == .stored)
        #expect(await harness.write(report("phone-4", fix: now, latitude: 10)) == .filtered(.duplicate))
        #expect(try TestDatabase.count(harness.url, "SELECT count(*) FROM tc_positions") == 1)
    }

    @Test func reportsWithoutCoordinatesReuseTheLastFix() async throws {
        let harness = try WriterHarness()
        #expect(await harness.write(report("phone-5", fix: fix, outdated: true)) == .stored)
        #expect(await harness.write(report("phone-5", fix: fix + 10, latitude: 48.1, longitude: 11.6)) == .stored)
        #expect(await harness.write(report("phone-5", fix: fix + 20, outdated: true)) == .stored)
        let rows = try TestDatabase.rows(harness.url, """
            SELECT fixtime, devicetime, valid, latitude, longitude FROM tc_positions ORDER BY id
            """)
        #expect(rows == [
            ["1980-01-06 00:00:00", "2026-11-18 11:06:40", "f", "0", "0"],
            ["2026-11-18 11:06:50", "2026-11-18 11:06:50", "t", "48.1", "11.6"],
            ["2026-11-18 11:06:50", "2026-11-18 11:07:00", "t", "48.1", "11.6"],
        ])
    }

    @Test func aFullQueueAnswersOverloadedAtOnce() async throws {
        let harness = try WriterHarness {
            $0.setting(ConfigKeys.queueSize, to: 2).setting(ConfigKeys.batchWait, to: 1.0)
                .setting(ConfigKeys.batchSize, to: 10)
        }
        let outcomes = await harness.write((0..<3).map { report("phone-6", fix: fix + Double($0)) })
        #expect(outcomes.filter { $0 == .overloaded }.count == 1)
        #expect(outcomes.filter { $0 == .stored }.count == 2)
    }

    @Test func anUnreachableDatabaseAnswersUnavailable() async throws {
        let config = Config().setting(ConfigKeys.databaseURL, to: "postgresql://postgres@127.0.0.1:1/none")
        let writer = try PositionWriter(settings: PositionWriter.Settings(config: config), logger: .init(label: "t"))
        writer.start()
        defer { writer.stop() }
        let outcome = await withCheckedContinuation { continuation in
            writer.submit(report("phone-7", fix: fix), receivedAt: Date()) { continuation.resume(returning: $0) }
        }
        guard case .unavailable = outcome else {
            Issue.record("expected unavailable, got \(outcome)")
            return
        }
        #expect(!writer.isAvailable)
    }
}
