import Foundation

/// Paths inside the repository, found from this file's location so tests run from any directory.
public enum RepositoryPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func fixture(_ relativePath: String) -> URL {
        root.appendingPathComponent("fixtures").appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture file; fails the calling test with the path when it is missing.
    public static func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixture(relativePath)))
    }
}
