/// Brings a database to the newest schema; safe to run from several nodes at once and on every start.
public struct Migrator {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Applies every step newer than the database's version, each in its own transaction.
    /// - Returns: the versions applied now (empty when the schema was current).
    @discardableResult
    public func migrate() throws(PostgresError) -> [Int] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS it_schema_migrations (
                version integer PRIMARY KEY,
                summary text NOT NULL,
                applied timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))
            """, context: "create migrations table")
        var applied: [Int] = []
        for step in Migrations.all {
            let didApply = try connection.transaction { () throws(PostgresError) -> Bool in
                // One node migrates at a time; the others wait here, then see the step as done.
                try connection.execute("SELECT pg_advisory_xact_lock(7335001)", context: "lock migrations")
                let done = try connection.execute(
                    "SELECT 1 FROM it_schema_migrations WHERE version = $1", [String(step.version)],
                    context: "read schema version")
                if done.rowCount > 0 { return false }
                try connection.execute(step.sql, context: "migration \(step.version) (\(step.summary))")
                try connection.execute(
                    "INSERT INTO it_schema_migrations (version, summary) VALUES ($1, $2)",
                    [String(step.version), step.summary], context: "record migration \(step.version)")
                return true
            }
            if didApply { applied.append(step.version) }
        }
        return applied
    }

    /// The newest version the code knows.
    public static var latestVersion: Int { Migrations.all.last?.version ?? 0 }
}
