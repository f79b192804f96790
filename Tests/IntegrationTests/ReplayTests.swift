import Foundation
import Testing
import TestSupport

/// `itrack replay`, the fixture sender and the benchmark's load generator, against the real server and against
/// ports where no server answers.
@Suite struct ReplayTests {
    /// The fields of `--json`'s report that these tests read.
    struct Report: Decodable {
        let sent, acked, failed: Int
        let failedByStatus: [String: Int]
        let failedByTransport: [String: Int]
        let elapsedSeconds: Double
    }

    @Test func everyFixtureIsSentOnceAndEachAnswerIsCounted() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        defer { _ = try? server.stop() }
        let folder = RepositoryPaths.fixture("osmand")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".http") }.sorted()
        var expectedStatuses: [String: Int] = [:]
        for name in names {
            let expected = try JSONSerialization.jsonObject(
                with: Data(try RepositoryPaths.fixtureBytes("osmand/\(name.dropLast(5)).expected.json")))
            let status = try #require((expected as? [String: Any])?["status"] as? Int, "\(name)")
            if status != 200 { expectedStatuses[String(status), default: 0] += 1 }
        }

        let (status, report) = try replay(
            names.map { folder.appendingPathComponent($0).path }, to: server.osmandPort, "--connections", "3")

        #expect(status == 1, "not every request was acknowledged, so the exit status says so")
        #expect(report.sent == names.count)
        #expect(report.failedByStatus == expectedStatuses)
        #expect(report.acked == names.count - expectedStatuses.values.reduce(0, +))
        #expect(report.failedByTransport.isEmpty)
    }

    @Test func manyConnectionsOnFewThreadsSendEachRequestExactlyOnce() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        defer { _ = try? server.stop() }
        let file = try Self.write(Self.formPosts(count: 3000, devices: 40))

        let (status, report) = try replay(
            [file.path], to: server.osmandPort, "--connections", "97", "--threads", "2")

        #expect(status == 0)
        #expect(report.sent == 3000)
        #expect(report.acked == 3000)
        #expect(report.failed == 0)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_positions") == 3000)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_devices") == 40)
    }

    @Test func repeatingAndConnectionCloseReconnectAndResendTheList() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        defer { _ = try? server.stop() }
        let closing = Self.formPosts(count: 5, devices: 5).replacingOccurrences(
            of: "Host: 127.0.0.1\r\n", with: "Host: 127.0.0.1\r\nConnection: close\r\n")
        let file = try Self.write(closing)

        let (status, report) = try replay([file.path], to: server.osmandPort, "--repeat", "4", "--connections", "2")

        #expect(status == 0)
        #expect(report.sent == 20)
        #expect(report.acked == 20)
        #expect(try TestDatabase.count(url, "SELECT count(*) FROM tc_positions") == 5, "repeats are retries")
    }

    @Test func aPortWithoutAServerCountsEveryRequestAsRefused() throws {
        let file = try Self.write(Self.formPosts(count: 12, devices: 3))

        let (status, report) = try replay([file.path], to: FreePort.next(), "--connections", "4")

        #expect(status == 1)
        #expect(report.sent == 12)
        #expect(report.acked == 0)
        #expect(report.failedByTransport == ["refused": 12])
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        // The kernel completes the handshake into the backlog, so connects succeed and the requests go unanswered.
        let listener = try Self.silentListener()
        defer { close(listener.socket) }
        let file = try Self.write(Self.formPosts(count: 4, devices: 2))

        let (status, report) = try replay(
            [file.path], to: listener.port, "--connections", "2", "--timeout", "0.3")

        #expect(status == 1)
        #expect(report.sent == 4)
        #expect(report.failedByTransport == ["timeout": 4])
        #expect(report.elapsedSeconds >= 0.6, "two requests per connection, one after the other, each timing out")
    }

    @Test func aRateSpacesTheRequestsOut() throws {
        let url = try TestDatabase.create()
        let server = try ServerProcess(databaseURL: url)
        defer { _ = try? server.stop() }
        let file = try Self.write(Self.formPosts(count: 21, devices: 3))

        let (status, report) = try replay(
            [file.path], to: server.osmandPort, "--connections", "3", "--rate", "40")

        #expect(status == 0)
        #expect(report.acked == 21)
        // Seven sends per connection, 75 ms apart: the last starts 450 ms after the first.
        #expect(report.elapsedSeconds >= 0.45)
    }

    private func replay(_ files: [String], to port: UInt16, _ options: String...) throws -> (Int32, Report) {
        let (status, output) = try Command.run(
            try ServerProcess.binary().path, ["replay"] + files + ["--to", "127.0.0.1:\(port)", "--json"] + options)
        let line = try #require(output.split(separator: "\n").last, "no report: \(output)")
        return (status, try JSONDecoder().decode(Report.self, from: Data(line.utf8)))
    }

    /// Traccar Client 10.x form posts, each device's fixes a second apart so none is a retry of another.
    private static func formPosts(count: Int, devices: Int) -> String {
        (0..<count).map { index in
            let body = "id=replay-\(index % devices)&lat=52.5\(index % 10)&lon=13.4&timestamp=\(1_760_000_000 + index)"
            return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }.joined()
    }

    private static func write(_ requests: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).http")
        try requests.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A socket that listens on a free loopback port and never accepts.
    private static func silentListener() throws -> (socket: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let port = FreePort.next()
        guard LoopbackAddress.with(port: port, { bind(fd, $0, $1) }) == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError(message: "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        return (fd, port)
    }
}
