import Foundation

/// `_manifest.json`: what a day's object holds, so a reader can check it is complete and unchanged without
/// asking our database.
public struct ArchiveManifest: Sendable, Equatable {
    /// Bumped when the columns change.
    public static let schemaVersion = 1
    /// The CSV's columns, in order; times are UTC without a zone, as PostgreSQL writes `timestamp`.
    public static let columns = [
        "id", "deviceid", "uniqueid", "protocol", "servertime", "devicetime", "fixtime", "valid", "latitude",
        "longitude", "altitude", "speed", "course", "accuracy", "address", "attributes", "network",
    ]

    public var day: ArchiveDay
    public var key: String
    public var rows: Int64
    /// Of the gzip object.
    public var bytes: Int64
    /// Hex SHA-256 of the gzip object.
    public var sha256: String
    /// Server times of the first and last row: the day's rows are those the server received that UTC day.
    public var firstServerTime: Date?
    public var lastServerTime: Date?
    public var firstFixTime: Date?
    public var lastFixTime: Date?
    public var createdAt: Date

    public init(day: ArchiveDay, key: String, rows: Int64, bytes: Int64, sha256: String, firstServerTime: Date?,
                lastServerTime: Date?, firstFixTime: Date?, lastFixTime: Date?, createdAt: Date) {
        self.day = day
        self.key = key
        self.rows = rows
        self.bytes = bytes
        self.sha256 = sha256
        self.firstServerTime = firstServerTime
        self.lastServerTime = lastServerTime
        self.firstFixTime = firstFixTime
        self.lastFixTime = lastFixTime
        self.createdAt = createdAt
    }

    public var json: String {
        func time(_ date: Date?) -> String { date.map { JSONText.quoted(TraccarTime.text($0)) } ?? "null" }
        return JSONText.object([
            ("day", JSONText.quoted(day.description)), ("key", JSONText.quoted(key)), ("rows", String(rows)),
            ("bytes", String(bytes)), ("sha256", JSONText.quoted(sha256)),
            ("schemaVersion", String(Self.schemaVersion)), ("format", JSONText.quoted("csv")),
            ("compression", JSONText.quoted("gzip")), ("header", "true"),
            ("columns", JSONText.array(Self.columns.map(JSONText.quoted))),
            ("firstServerTime", time(firstServerTime)), ("lastServerTime", time(lastServerTime)),
            ("firstFixTime", time(firstFixTime)), ("lastFixTime", time(lastFixTime)),
            ("createdAt", time(createdAt)),
        ])
    }
}
