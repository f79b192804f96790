/// Where a day's archive lives in the bucket: Hive-style `dt=` partitions, so Spark, Athena, DuckDB and pandas
/// see `dt` as a column. The manifest's leading underscore makes Spark and Hive skip it as data.
public struct ArchiveLayout: Sendable, Equatable {
    /// Without leading or trailing slashes.
    public let prefix: String

    public init(prefix: String) {
        self.prefix = String(prefix.drop { $0 == "/" }.reversed().drop { $0 == "/" }.reversed())
    }

    public func directory(_ day: ArchiveDay) -> String {
        prefix.isEmpty ? "dt=\(day)/" : "\(prefix)/dt=\(day)/"
    }

    /// One object per day, whatever its size: a rerun replaces it, so a day is never in two objects.
    public func objectKey(_ day: ArchiveDay) -> String { directory(day) + "part-00000.csv.gz" }

    public func manifestKey(_ day: ArchiveDay) -> String { directory(day) + "_manifest.json" }
}
