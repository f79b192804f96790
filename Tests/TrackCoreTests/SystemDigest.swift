import Foundation
import Testing

/// The hex digest coreutils' `tool` (`sha1sum`, `sha256sum`) prints for `bytes`: an implementation that is not
/// ours to compare with.
func systemDigest(_ tool: String, of bytes: [UInt8]) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(tool)-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
    process.arguments = [file.path]
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return String(decoding: output.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
}
