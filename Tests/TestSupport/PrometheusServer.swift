import Foundation

/// A real Prometheus (Debian's package) of one test's own, on loopback, scraping the given targets every
/// second; stopped by its PID when the test ends.
public final class PrometheusServer: @unchecked Sendable {
    public let port: UInt16
    private let process = Process()
    private let directory: URL

    /// - Parameters:
    ///   - targets: job name → `host:port` scraped at `/metrics`.
    ///   - ruleFile: alert rules to load, e.g. the repository's `prometheus/alerts.yml`, with every
    ///     `for:` shortened to 0 s so a test sees alerts fire in seconds.
    public init(targets: [String: String], ruleFile: URL? = nil) throws {
        port = FreePort.next()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        if let ruleFile {
            let rules = try String(contentsOf: ruleFile, encoding: .utf8)
                .replacing(#/(?m)^(\s*)for: \S+$/#) { "\($0.output.1)for: 0s" }
            try rules.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
            config += "rule_files: [rules.yml]\n"
        }
        config += "scrape_configs:\n"
        for (job, target) in targets.sorted(by: { $0.key < $1.key }) {
            config += "  - job_name: \(job)\n    static_configs:\n      - targets: ['\(target)']\n"
        }
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.currentDirectoryURL = directory
        process.arguments = [
            "--config.file=prometheus.yml", "--storage.tsdb.path=data",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        let log = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try waitUntilReady()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date(timeIntervalSinceNow: 5)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The `data` of an `/api/v1/<path>` answer, e.g. `query?query=up` or `alerts`.
    public func api(_ path: String) throws -> [String: Any] {
        let client = try RawHTTPClient(port: port)
        guard let response = try client.exchange("GET /api/v1/\(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              object["status"] as? String == "success", let data = object["data"] as? [String: Any]
        else { throw ServerError(message: "Prometheus API \(path) failed") }
        return data
    }

    /// The value of every series an instant query returns, keyed by its labels as `k=v,k=v`.
    public func query(_ expression: String) throws -> [String: Double] {
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let results = try api("query?query=\(encoded)")["result"] as? [[String: Any]] ?? []
        var values: [String: Double] = [:]
        for result in results {
            let labels = (result["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            if let pair = result["value"] as? [Any], pair.count == 2, let text = pair[1] as? String {
                values[labels] = Double(text)
            }
        }
        return values
    }

    /// Polls `condition` every 200 ms until it holds or `seconds` pass; returns whether it held.
    public func eventually(within seconds: TimeInterval, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return false
    }

    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
    }

    private func waitUntilReady() throws {
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline {
            guard process.isRunning else { throw ServerError(message: "prometheus exited:\n\(log)") }
            if let client = try? RawHTTPClient(port: port),
               let response = try? client.exchange("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
               response.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServerError(message: "prometheus not ready within 30 s:\n\(log)")
    }
}
