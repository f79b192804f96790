import Foundation
import Testing
import TestSupport

/// The reason itrack exists: nothing acknowledged is ever lost, whatever dies.
@Suite(.serialized) struct DurabilityTests {
    @Test func everyAcknowledgedPositionSurvivesSIGKILLUnderLoad() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        let load = PositionLoad(port: server.osmandPort, phones: 16)
        load.start()
        Thread.sleep(forTimeInterval: 1.5)
        try server.stop(signal: SIGKILL)
        load.stop()
        #expect(load.acknowledged.count > 100, "the load should have been acknowledged before the kill")
        #expect(try load.missing(in: url).isEmpty)
    }

    @Test func sigtermAnswersInFlightRequestsAndExitsCleanly() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        let load = PositionLoad(port: server.osmandPort, phones: 8)
        load.start()
        Thread.sleep(forTimeInterval: 1)
        #expect(try server.stop(signal: SIGTERM) == 0)
        load.stop()
        #expect(load.acknowledged.count > 50)
        #expect(try load.missing(in: url).isEmpty)
    }

    @Test func aDatabaseOutageGives503ThenRecoversWithoutLosingAcknowledgedPositions() throws {
        let cluster = try PrivateCluster(name: "outage", port: 25442)
        defer { cluster.stop() }
        let url = try cluster.start()
        let server = try ServerProcess(databaseURL: url)
        let load = PositionLoad(port: server.osmandPort, phones: 4)
        load.start(pause: 0.005)
        Thread.sleep(forTimeInterval: 1)
        cluster.stop()
        Thread.sleep(forTimeInterval: 1.5)
        let during = load.statusCounts[503] ?? 0
        _ = try cluster.start()
        Thread.sleep(forTimeInterval: 4)
        let acknowledgedBefore = load.acknowledged.count
        Thread.sleep(forTimeInterval: 1)
        load.stop()
        #expect(during > 0, "phones must get 503 while PostgreSQL is down: \(load.statusCounts)")
        #expect(load.acknowledged.count > acknowledgedBefore, "ingest must recover once PostgreSQL is back")
        #expect(try load.missing(in: url).isEmpty)
        #expect(server.isRunning)
        try server.stop()
    }
}
