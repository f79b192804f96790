import Foundation
import TrackPostgres

/// A fresh, empty database per test on the PostgreSQL that `scripts/test` starts.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "ITRACK_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL"
        }
    }

    /// The server's URL as given by `scripts/test`.
    public static func baseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ITRACK_TEST_DATABASE_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// Creates an empty database with a unique name and returns its URL.
    public static func create() throws -> String {
        let base = try baseURL()
        let name = "it_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try PostgresConnection(url: base).execute("CREATE DATABASE \(name)", context: "create test database")
        return url(base, database: String(name))
    }

    /// Creates a database with itrack's current schema and returns its URL.
    public static func createMigrated() throws -> String {
        let url = try create()
        try Migrator(connection: PostgresConnection(url: url)).migrate()
        return url
    }

    /// `base` (a `postgresql://` URI) with its database name replaced.
    static func url(_ base: String, database: String) -> String {
        let parts = base.split(separator: "?", maxSplits: 1)
        let head = parts.first ?? ""
        let authorityStart = head.range(of: "://")?.upperBound ?? head.startIndex
        let path = head[authorityStart...].firstIndex(of: "/") ?? head.endIndex
        return head[..<path] + "/" + database + (parts.count > 1 ? "?" + parts[1] : "")
    }

    /// Runs a query and returns its rows as text (nil for NULL).
    public static func rows(_ url: String, _ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try PostgresConnection(url: url).execute(sql, parameters, context: "test query").rows
    }

    /// Inserts devices (name, unique id) in the order given and returns their ids in that order.
    public static func devices(_ url: String, _ devices: [(name: String, uniqueId: String)]) throws -> [Int] {
        try devices.map { device in
            let id = try rows(url, "INSERT INTO tc_devices (name, uniqueid) VALUES ($1, $2) RETURNING id",
                              [device.name, device.uniqueId]).first?.first ?? nil
            guard let id = id.flatMap({ Int($0) }) else {
                throw ServerError(message: "device \(device.uniqueId) was not inserted")
            }
            return id
        }
    }

    /// The first column of the first row as an integer (counts).
    public static func count(_ url: String, _ sql: String, _ parameters: [String?] = []) throws -> Int {
        let cell = try rows(url, sql, parameters).first?.first ?? nil
        return cell.flatMap { Int($0) } ?? -1
    }
}
