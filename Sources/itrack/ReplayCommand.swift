import ArgumentParser
import Foundation
import TrackWire

/// Sends recorded device requests to a server and reports what came back; also the ingest benchmark's load
/// generator (`scripts/bench-ingest`).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send raw HTTP requests from files to a server and report acks, failures and latency.",
        discussion: """
            Each FILE holds raw HTTP/1.x requests back to back, sent byte for byte as stored. Requests go \
            round-robin over the connections; each connection waits for a response before sending its next \
            request. A few threads drive all connections over non-blocking sockets, so the load generator \
            takes little of the CPU it shares with the server it measures. Exits 0 only when every request \
            got a 2xx response.
            """)

    @Argument(help: "Files of raw HTTP requests, back to back.")
    var files: [String]

    @Option(help: ArgumentHelp("Server to send to.", valueName: "host:port"))
    var to: String

    @Option(help: "Concurrent keep-alive connections.")
    var connections = 1

    @Option(help: "Threads that drive the connections (default: one per CPU, at most one per connection).")
    var threads: Int?

    @Option(help: "Requests per second over all connections; 0 sends as fast as responses arrive.")
    var rate: Double = 0

    @Option(name: .customLong("repeat"), help: "How many times to send the whole request list.")
    var repeatCount = 1

    @Option(help: "Seconds to wait for a connect, a send or the next bytes of a response.")
    var timeout: Double = 10

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one FILE of requests") }
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard (threads ?? 1) >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard rate >= 0, rate.isFinite else { throw ValidationError("--rate must be 0 or more") }
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be more than 0") }
    }

    func run() throws {
        // Everything is split and resolved before the clock starts, so the hot loop only sends prepared bytes.
        var requests: [ReplayRequest] = []
        for file in files { requests += try ReplayRequest.load(file: file) }
        let target = try ReplayTarget(to)
        let total = requests.count * repeatCount
        let connectionCount = min(connections, total)
        let interval = rate > 0 ? UInt64(Double(connectionCount) * 1e9 / rate) : 0
        let loops = try (0..<min(threads ?? ProcessInfo.processInfo.activeProcessorCount, connectionCount)).map {
            _ throws(ReplayError) in try ReplayLoop()
        }
        let cpuBefore = Self.cpuSeconds()
        let start = ReplayLoop.now()
        for index in 0..<connectionCount {
            loops[index % loops.count].add(
                requests: requests, target: target,
                share: ReplayConnection.Share(first: index, stride: connectionCount, total: total, interval: interval),
                timeoutNanos: UInt64(timeout * 1e9), start: start)
        }
        Self.runOnThreads(loops)
        let elapsed = Double(ReplayLoop.now() - start) / 1e9
        let cpu = Self.cpuSeconds() - cpuBefore
        if let failure = loops.lazy.compactMap(\.failure).first { throw failure }

        var tally = ReplayTally()
        for loop in loops {
            for connection in loop.connections { tally.merge(connection.tally) }
        }
        let report = ReplayReport(tally, elapsedSeconds: elapsed, cpuSeconds: cpu)
        print(json ? try report.json() : report.text())
        if !report.allAcked { throw ExitCode.failure }
    }

    /// Returns when every loop has finished.
    private static func runOnThreads(_ loops: [ReplayLoop]) {
        let group = DispatchGroup()
        for loop in loops {
            group.enter()
            Thread {
                loop.run()
                group.leave()
            }.start()
        }
        group.wait()
    }

    /// User and system CPU time of this process so far, so the report says what the load generator itself cost.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// A problem with the replay's input or target that stops it before anything is sent.
struct ReplayError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// One request from a replay file: its bytes exactly as stored, plus what reading its response needs.
struct ReplayRequest: Sendable {
    var bytes: [UInt8]
    /// A HEAD request: the response states a Content-Length but carries no body.
    var bodyless: Bool
    /// The request asks the server to close afterwards, so the client reconnects for the next one.
    var closesConnection: Bool

    /// Generous limits: a replay file is trusted input and may hold batches far larger than a phone sends.
    private static let parser = HTTPRequestParser(maxHeaderBytes: 1 << 20, maxBodyBytes: 1 << 26)

    /// Splits a file of back-to-back requests with the server's own parser, so what is replayed is framed
    /// exactly as itrack would frame it. Blank lines between and after requests are allowed.
    static func load(file path: String) throws(ReplayError) -> [ReplayRequest] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError("\(path): cannot read the file")
        }
        let bytes = [UInt8](data)
        var requests: [ReplayRequest] = []
        var offset = 0
        while let first = bytes[offset...].firstIndex(where: { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }) {
            let position = "request \(requests.count + 1) (byte \(first))"
            let result: HTTPParseResult
            do {
                result = try parser.parse(bytes[offset...])
            } catch {
                throw ReplayError("\(path): \(position) is not valid HTTP: \(error.reason)")
            }
            guard case .request(let request, let consumed) = result else {
                throw ReplayError("\(path): \(position) is cut off before its end")
            }
            requests.append(
                ReplayRequest(
                    bytes: Array(bytes[first..<offset + consumed]), bodyless: request.isHead,
                    closesConnection: !request.keepAlive))
            offset += consumed
        }
        guard !requests.isEmpty else { throw ReplayError("\(path): holds no requests") }
        return requests
    }
}
