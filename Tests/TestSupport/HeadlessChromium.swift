import Foundation

/// Debian's Chromium, run headless on one URL: the DOM after the page's scripts ran, or a screenshot.
///
/// Each run gets a fresh profile directory, so parallel tests never share Chromium's singleton lock, and runs under
/// `timeout 60`, so a hung browser fails the test instead of stalling the suite.
public enum HeadlessChromium {
    public static let path = "/usr/bin/chromium"

    /// Fails with how to get Chromium when it is not installed.
    public static func requireInstalled() throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ServerError(message: "\(path) is missing: install Debian's chromium package (scripts/setup does)")
        }
    }

    /// Loads `url`, lets it run for `budget` ms of virtual time (network waits do not count), returns the DOM as HTML.
    public static func dumpDOM(_ url: String, budget: Int = 8000) throws -> String {
        try run(["--virtual-time-budget=\(budget)", "--dump-dom", url])
    }

    /// Loads `url` like `dumpDOM` and writes a PNG of a `width`×`height` window to `file`.
    public static func screenshot(_ url: String, to file: URL, width: Int = 1024, height: Int = 768,
                                  budget: Int = 8000) throws {
        _ = try run(["--virtual-time-budget=\(budget)", "--window-size=\(width),\(height)",
                     "--screenshot=\(file.path)", url])
    }

    /// Runs Chromium and returns its stdout; its stderr (D-Bus complaints and the like) only goes into errors.
    private static func run(_ arguments: [String]) throws -> String {
        try requireInstalled()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdout = scratch.appendingPathComponent("stdout")
        let script = #"out="$1"; shift; exec /usr/bin/timeout 60 "$@" >"$out""#
        let (status, noise) = try Command.run("/bin/sh", [
            "-c", script, "sh", stdout.path, path, "--headless=new", "--no-sandbox", "--disable-gpu",
            "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
        ] + arguments)
        guard status == 0 else {
            let reason = status == 124 ? "did not finish within 60 s" : "exited with \(status)"
            throw ServerError(message: "chromium \(reason); its output:\n\(noise.suffix(4000))")
        }
        return (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
    }
}
