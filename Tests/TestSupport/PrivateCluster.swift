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

    /// Runs `scripts/pg` with posix_spawn and waitpid. Foundation's `Process.waitUntilExit` was seen to
    /// hang here once the script had started a daemon; output goes through a file, not a pipe, because
    /// the postmaster inherits the descriptor and would keep a pipe open for as long as it runs.
    private func run(_ arguments: [String]) throws -> String {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/pg").path
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, script, &actions, nil, argv, environ) == 0 else {
            throw ServerError(message: "cannot run \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw ServerError(message: "scripts/pg \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
    }
}
