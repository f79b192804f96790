import Foundation

/// A PostgreSQL cluster of a test's own, through `scripts/pg`, for tests that stop the database.
public final class PrivateCluster: Sendable {
    private let directory: String
    private let port: UInt16

    public init(name: String, port: UInt16) throws {
        directory = RepositoryPaths.root.appendingPathComponent(".data/test-\(name)").path
        self.port = port
    }

    /// Starts (creating on first use) the cluster and returns its database URL.
    @discardableResult
    public func start() throws -> String {
        try run(["start", directory, String(port), "--fast"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func stop() {
        _ = try? run(["stop", directory])
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = RepositoryPaths.root.appendingPathComponent("scripts/pg")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerError(message: "scripts/pg \(arguments.joined(separator: " ")) failed")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
