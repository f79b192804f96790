import Foundation

/// Runs one of the repository's `scripts/` to completion, for tests that start and stop their own services.
public enum RepositoryScript {
    /// Runs `scripts/<name>` with posix_spawn and waitpid and returns its stdout. Foundation's
    /// `Process.waitUntilExit` was seen to hang once a script had started a daemon; output goes through a
    /// file, not a pipe, because the daemon inherits the descriptor and would keep a pipe open while it runs.
    @discardableResult
    public static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> String
    {
        let script = RepositoryPaths.root.appendingPathComponent("scripts/\(name)").path
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, script, &actions, nil, argv, envp) == 0 else {
            throw ServerError(message: "cannot run \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw ServerError(message: "scripts/\(name) \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
    }
}
