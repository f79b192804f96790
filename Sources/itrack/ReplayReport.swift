import Foundation
import Histogram

/// Why a request got no HTTP response at all, as opposed to a non-2xx one.
enum TransportFailure: String, Error, CaseIterable {
    /// Nothing listens on the target port.
    case refused
    /// Connect, send or receive took longer than `--timeout`.
    case timeout
    /// The server reset the connection.
    case reset
    /// The server closed the connection before the response was complete.
    case closed
    /// The bytes received are not an HTTP/1.x response.
    case malformed
    /// Any other socket error; rare enough that one bucket tells the user to look closer.
    case other
}

/// What one connection observed. Each connection fills its own, so the hot path takes no lock; the command merges
/// them once every connection is done.
struct ReplayTally {
    var sent = 0
    var acked = 0
    var failedByStatus: [Int: Int] = [:]
    var failedByTransport: [TransportFailure: Int] = [:]
    /// Microseconds from the start of a request (connect included, when one was needed) to its complete response.
    var latency = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    mutating func record(status: Int, micros: UInt64) {
        latency.record(max(micros, 1))
        if (200..<300).contains(status) {
            acked += 1
        } else {
            failedByStatus[status, default: 0] += 1
        }
    }

    mutating func record(_ failure: TransportFailure) {
        failedByTransport[failure, default: 0] += 1
    }

    mutating func merge(_ other: ReplayTally) {
        sent += other.sent
        acked += other.acked
        failedByStatus.merge(other.failedByStatus, uniquingKeysWith: +)
        failedByTransport.merge(other.failedByTransport, uniquingKeysWith: +)
        latency.add(other.latency)
    }
}

/// The outcome of a replay as printed at the end, in text or as one JSON object (`--json`) for scripts.
struct ReplayReport: Codable, Equatable {
    /// Latency percentiles of the requests that got a response, in milliseconds.
    struct Latency: Codable, Equatable {
        var p50: Double
        var p90: Double
        var p99: Double
        var max: Double
    }

    var sent: Int
    var acked: Int
    var failed: Int
    /// Non-2xx responses by status code (as a string: JSON object keys are strings).
    var failedByStatus: [String: Int]
    /// Requests without a response, by `TransportFailure` kind.
    var failedByTransport: [String: Int]
    var elapsedSeconds: Double
    /// CPU time the replay itself used while sending, user and system: what the load generator took from a
    /// server it shares the machine with.
    var cpuSeconds: Double
    var requestsPerSecond: Double
    var latencyMs: Latency

    init(_ tally: ReplayTally, elapsedSeconds: Double, cpuSeconds: Double) {
        sent = tally.sent
        acked = tally.acked
        failed = tally.sent - tally.acked
        failedByStatus = Dictionary(uniqueKeysWithValues: tally.failedByStatus.map { (String($0.key), $0.value) })
        failedByTransport = Dictionary(
            uniqueKeysWithValues: tally.failedByTransport.map { ($0.key.rawValue, $0.value) })
        self.elapsedSeconds = elapsedSeconds
        self.cpuSeconds = cpuSeconds
        requestsPerSecond = elapsedSeconds > 0 ? Double(tally.sent) / elapsedSeconds : 0
        let histogram = tally.latency
        func millis(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        latencyMs = Latency(
            p50: millis(histogram.valueAtPercentile(50)), p90: millis(histogram.valueAtPercentile(90)),
            p99: millis(histogram.valueAtPercentile(99)), max: millis(histogram.maxRecorded))
    }

    /// Whether every request got a 2xx, which is what the exit status reports.
    var allAcked: Bool { failed == 0 }

    /// The report as one line of JSON with sorted keys, so runs can be diffed and parsed by scripts.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The report for a human at a terminal.
    func text() -> String {
        let responded = sent - failedByTransport.values.reduce(0, +)
        var lines = [
            "sent \(sent), acked (2xx) \(acked), failed \(failed)",
            "elapsed \(format(elapsedSeconds, 3)) s, \(format(requestsPerSecond, 1)) requests/s, "
                + "replay CPU \(format(cpuSeconds, 3)) s",
            responded == 0
                ? "latency ms: no responses"
                : "latency ms: p50 \(format(latencyMs.p50, 3)), p90 \(format(latencyMs.p90, 3)), "
                    + "p99 \(format(latencyMs.p99, 3)), max \(format(latencyMs.max, 3))",
        ]
        if !failedByStatus.isEmpty { lines.append("failed by status: " + counts(failedByStatus)) }
        if !failedByTransport.isEmpty { lines.append("failed by transport: " + counts(failedByTransport)) }
        return lines.joined(separator: "\n")
    }

    private func counts(_ table: [String: Int]) -> String {
        table.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
