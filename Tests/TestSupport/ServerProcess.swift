import Foundation

/// The real `itrack` binary, `serve` or `analytics`, started with its own ports and database for one test.
public final class ServerProcess: @unchecked Sendable {
    public let osmandPort: UInt16
    /// For `analytics`, which has no web port, the metrics port.
    public let webPort: UInt16
    public let command: String
    public let databaseURL: String
    private let process = Process()
    private let logFile: URL

    /// Starts the server and waits until it answers HTTP.
    public init(databaseURL: String, command: String = "serve", environment extra: [String: String] = [:]) throws {
        self.databaseURL = databaseURL
        self.command = command
        osmandPort = FreePort.next()
        webPort = FreePort.next()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("itrack-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var environment = ProcessInfo.processInfo.environment
        environment["ITRACK_DATABASE_URL"] = databaseURL
        environment["ITRACK_OSMAND_PORT"] = String(osmandPort)
        environment["ITRACK_OSMAND_ADDRESS"] = "127.0.0.1"
        environment["ITRACK_WEB_PORT"] = String(webPort)
        environment["ITRACK_WEB_ADDRESS"] = "127.0.0.1"
        if command == "analytics" {
            environment["ITRACK_METRICS_PORT"] = String(webPort)
            environment["ITRACK_METRICS_ADDRESS"] = "127.0.0.1"
        }
        environment.merge(extra) { $1 }
        process.executableURL = try Self.binary()
        process.arguments = [command]
        process.environment = environment
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try waitUntilListening()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The built `itrack` executable next to the test bundle (or `ITRACK_BINARY`).
    public static func binary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["ITRACK_BINARY"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("itrack")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw ServerError(message: "itrack binary not found near \(CommandLine.arguments[0]); run swift build first")
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Everything the server logged so far.
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Sends a signal and, for SIGTERM/SIGINT, waits for the exit and returns its status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 15) throws -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerError(message: "server did not exit within \(timeout) s; log:\n\(log)")
        }
        return process.terminationStatus
    }

    private func waitUntilListening() throws {
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            guard process.isRunning else {
                throw ServerError(message: "server exited with \(process.terminationStatus); log:\n\(log)")
            }
            // Both ports are bound before the web port serves, so its answer vouches for the OsmAnd port too.
            if answersHTTP(port: webPort, path: command == "serve" ? "/health" : "/metrics") { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServerError(message: "server did not listen within 60 s; log:\n\(log)")
    }

    /// An HTTP answer, not merely an accepted connection: whatever else might hold the port would not give one.
    private func answersHTTP(port: UInt16, path: String) -> Bool {
        guard let client = try? RawHTTPClient(port: port) else { return false }
        return (try? client.exchange("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) != nil
    }
}

/// A test-environment failure (process, socket, database set-up) with what went wrong.
public struct ServerError: Error, CustomStringConvertible {
    public let message: String

    public init(message: String) {
        self.message = message
    }
    public var description: String { message }
}
