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
        try RepositoryScript.run("pg", ["start", directory, String(port), "--fast"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func stop() {
        _ = try? RepositoryScript.run("pg", ["stop", directory])
    }
}
