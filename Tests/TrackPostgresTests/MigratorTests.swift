import Testing
import TestSupport
import TrackPostgres

@Suite struct MigratorTests {
    @Test func migratesOnceAndThenReportsTheSchemaCurrent() throws {
        let url = try TestDatabase.create()
        let connection = try PostgresConnection(url: url)
        #expect(try Migrator(connection: connection).migrate() == [1, 2, 3, 4, 5, 6, 7])
        #expect(try Migrator(connection: connection).migrate() == [])
        let tables = try TestDatabase.rows(url, """
            SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1
            """)
        #expect(tables.compactMap(\.first) == [
            "it_archive_runs", "it_daily", "it_density", "it_density_visits", "it_publish_cursors", "it_schema_migrations",
            "it_sessions", "it_stays", "it_trips", "tc_device_geofence", "tc_devices", "tc_events", "tc_geofences", "tc_positions",
            "tc_user_device", "tc_user_geofence", "tc_users",
        ])
    }

    @Test func aFailingStatementCarriesPostgresMessageAndState() throws {
        let connection = try PostgresConnection(url: try TestDatabase.create())
        #expect {
            try connection.execute("SELECT * FROM no_such_table", context: "probe")
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.sqlState == "42P01" && error.message.contains("no_such_table") && error.code == .statement
        }
    }

    @Test func aRefusedConnectionIsAConnectionError() {
        #expect {
            try PostgresConnection(url: "postgresql://postgres@127.0.0.1:1/none", connectTimeout: 2)
        } throws: { error in
            (error as? PostgresError)?.code == .connection
        }
    }
}
