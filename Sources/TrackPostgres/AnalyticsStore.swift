import Foundation
import TrackAnalytics
import TrackCore

/// Keeps the analytics' results in `it_stays`, `it_trips`, `it_daily`, `it_density_visits` and `tc_events`,
/// and reads what the analytics need back: recent fixes to rebuild a device, and the geofences.
///
/// Every write is one transaction of whole-array statements, and every row is keyed, so writing the same
/// results twice (a replay after a crash) leaves the tables as one write did. Rows of a device deleted
/// meanwhile are left out rather than failing the batch, which would otherwise be retried for ever.
public struct AnalyticsStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    private static let deleteStays = PreparedStatement(name: "delete_stays", sql: """
        DELETE FROM it_stays s USING unnest($1::int[], $2::timestamp[]) AS c(deviceid, since)
        WHERE s.deviceid = c.deviceid AND s.starttime >= c.since
        """)
    private static let insertStays = PreparedStatement(name: "insert_stays", sql: """
        INSERT INTO it_stays (deviceid, starttime, endtime, duration, latitude, longitude, fixes, open)
        SELECT u.* FROM unnest($1::int[], $2::timestamp[], $3::timestamp[], $4::float8[], $5::float8[],
                               $6::float8[], $7::int[], $8::bool[]) AS u(deviceid)
        WHERE EXISTS (SELECT 1 FROM tc_devices d WHERE d.id = u.deviceid)
        ON CONFLICT (deviceid, starttime) DO UPDATE SET endtime = EXCLUDED.endtime, duration = EXCLUDED.duration,
            latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, fixes = EXCLUDED.fixes, open = EXCLUDED.open
        """)
    private static let deleteTrips = PreparedStatement(name: "delete_trips", sql: """
        DELETE FROM it_trips t USING unnest($1::int[], $2::timestamp[]) AS c(deviceid, since)
        WHERE t.deviceid = c.deviceid AND t.starttime >= c.since
        """)
    private static let insertTrips = PreparedStatement(name: "insert_trips", sql: """
        INSERT INTO it_trips (deviceid, starttime, endtime, duration, startlatitude, startlongitude, endlatitude,
                              endlongitude, distance, meanspeed, maxspeed, fixes, fastfixes, walking, open)
        SELECT u.* FROM unnest($1::int[], $2::timestamp[], $3::timestamp[], $4::float8[], $5::float8[],
                               $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[],
                               $12::int[], $13::int[], $14::bool[], $15::bool[]) AS u(deviceid)
        WHERE EXISTS (SELECT 1 FROM tc_devices d WHERE d.id = u.deviceid)
        ON CONFLICT (deviceid, starttime) DO UPDATE SET endtime = EXCLUDED.endtime, duration = EXCLUDED.duration,
            endlatitude = EXCLUDED.endlatitude, endlongitude = EXCLUDED.endlongitude, distance = EXCLUDED.distance,
            meanspeed = EXCLUDED.meanspeed, maxspeed = EXCLUDED.maxspeed, fixes = EXCLUDED.fixes,
            fastfixes = EXCLUDED.fastfixes, walking = EXCLUDED.walking, open = EXCLUDED.open
        """)
    private static let upsertDays = PreparedStatement(name: "upsert_days", sql: """
        INSERT INTO it_daily (deviceid, day, walkingdistance, activetime)
        SELECT u.* FROM unnest($1::int[], $2::date[], $3::float8[], $4::float8[]) AS u(deviceid)
        WHERE EXISTS (SELECT 1 FROM tc_devices d WHERE d.id = u.deviceid)
        ON CONFLICT (deviceid, day) DO UPDATE SET walkingdistance = EXCLUDED.walkingdistance,
            activetime = EXCLUDED.activetime
        """)
    private static let insertVisits = PreparedStatement(name: "insert_visits", sql: """
        INSERT INTO it_density_visits (minute, cellrow, cellcolumn, deviceid, latitude, longitude)
        SELECT u.* FROM unnest($1::timestamp[], $2::int[], $3::int[], $4::int[], $5::float8[], $6::float8[])
            AS u(minute, cellrow, cellcolumn, deviceid)
        WHERE EXISTS (SELECT 1 FROM tc_devices d WHERE d.id = u.deviceid)
        ON CONFLICT DO NOTHING
        """)
    private static let insertEvents = PreparedStatement(name: "insert_events", sql: """
        INSERT INTO tc_events (type, eventtime, deviceid, positionid, geofenceid, attributes)
        SELECT u.* FROM unnest($1::varchar[], $2::timestamp[], $3::int[], $4::bigint[], $5::int[], $6::varchar[])
            AS u(type, eventtime, deviceid)
        WHERE EXISTS (SELECT 1 FROM tc_devices d WHERE d.id = u.deviceid)
        ON CONFLICT DO NOTHING
        RETURNING id, type, eventtime, deviceid, positionid, geofenceid, attributes
        """)
    private static let recent = PreparedStatement(name: "recent_fixes", sql: """
        SELECT p.deviceid, p.id, p.fixtime, p.latitude, p.longitude, p.speed, p.accuracy
        FROM tc_positions p JOIN unnest($1::int[], $2::bigint[]) AS b(deviceid, below) ON p.deviceid = b.deviceid
        WHERE p.id < b.below AND p.fixtime >= $3 ORDER BY p.fixtime, p.id
        """)

    /// Writes `results` in one transaction; returns the events that were new, which are the ones to publish.
    public func write(_ results: AnalyticsResults) throws(PostgresError) -> [StoredEvent] {
        try connection.transaction { () throws(PostgresError) -> [StoredEvent] in
            let devices = results.devices
            if !devices.isEmpty {
                let keys = [ints(devices.map(\.deviceId)), times(devices.map(\.since))]
                try connection.execute(Self.deleteStays, keys, context: "delete stays")
                try connection.execute(Self.deleteTrips, keys, context: "delete trips")
            }
            let stays = devices.flatMap(\.stays)
            if !stays.isEmpty {
                try connection.execute(Self.insertStays, [
                    ints(stays.map(\.deviceId)), times(stays.map(\.start)), times(stays.map(\.end)),
                    doubles(stays.map(\.duration)), doubles(stays.map(\.latitude)), doubles(stays.map(\.longitude)),
                    ints(stays.map(\.fixCount)), bools(stays.map(\.isOpen)),
                ], context: "insert stays")
            }
            let trips = devices.flatMap(\.trips)
            if !trips.isEmpty {
                try connection.execute(Self.insertTrips, [
                    ints(trips.map(\.deviceId)), times(trips.map(\.start)), times(trips.map(\.end)),
                    doubles(trips.map(\.duration)), doubles(trips.map(\.startLatitude)),
                    doubles(trips.map(\.startLongitude)), doubles(trips.map(\.endLatitude)),
                    doubles(trips.map(\.endLongitude)), doubles(trips.map(\.distance)), doubles(trips.map(\.meanSpeed)),
                    doubles(trips.map(\.maxSpeed)), ints(trips.map(\.fixCount)), ints(trips.map(\.fastFixCount)),
                    bools(trips.map(\.isWalking)), bools(trips.map(\.isOpen)),
                ], context: "insert trips")
            }
            let days = devices.flatMap(\.days)
            if !days.isEmpty {
                try connection.execute(Self.upsertDays, [
                    ints(days.map(\.deviceId)), PostgresText.array(days.map { String(PostgresText.timestamp($0.day).prefix(10)) }),
                    doubles(days.map(\.walkingDistance)), doubles(days.map(\.activeTime)),
                ], context: "upsert daily totals")
            }
            let visits = results.visits
            if !visits.isEmpty {
                try connection.execute(Self.insertVisits, [
                    times(visits.map(\.minute)), ints(visits.map(\.cellRow)), ints(visits.map(\.cellColumn)),
                    ints(visits.map(\.deviceId)), doubles(visits.map(\.latitude)), doubles(visits.map(\.longitude)),
                ], context: "insert density visits")
            }
            return try insert(results.events)
        }
    }

    /// Each device's fixes with a position id below the one given for it and a fix time from `since` on, in
    /// time order: what a follower of positions in id order saw of the devices before, to rebuild them.
    public func recentFixes(below positionIds: [Int: Int64], since: Date) throws(PostgresError) -> [Fix] {
        if positionIds.isEmpty { return [] }
        let bounds = positionIds.sorted { $0.key < $1.key }
        let result = try connection.execute(Self.recent, [
            ints(bounds.map(\.key)), PostgresText.array(bounds.map { String($0.value) }), PostgresText.timestamp(since),
        ], context: "read recent fixes")
        return (0..<result.rowCount).compactMap { row in
            func double(_ column: Int) -> Double { result.value(row: row, column: column).flatMap(Double.init) ?? 0 }
            guard let deviceId = result.value(row: row, column: 0).flatMap({ Int($0) }),
                  let id = result.value(row: row, column: 1).flatMap({ Int64($0) }),
                  let fixTime = result.value(row: row, column: 2).flatMap(PostgresText.date(fromTimestamp:))
            else { return nil }
            return Fix(deviceId: deviceId, positionId: id, fixTime: fixTime, latitude: double(3),
                       longitude: double(4), speed: double(5), accuracy: double(6))
        }
    }

    /// Every geofence with the devices it is linked to (nil when linked to none: it then applies to all), and
    /// the ones whose area does not parse, with the reason.
    public func geofences() throws(PostgresError) -> (valid: [Geofence], invalid: [(id: Int, reason: String)]) {
        let result = try connection.execute("""
            SELECT g.id, g.name, g.area, array_agg(l.deviceid) FILTER (WHERE l.deviceid IS NOT NULL)
            FROM tc_geofences g LEFT JOIN tc_device_geofence l ON l.geofenceid = g.id GROUP BY g.id ORDER BY g.id
            """, context: "read geofences")
        var valid: [Geofence] = []
        var invalid: [(id: Int, reason: String)] = []
        for row in 0..<result.rowCount {
            guard let id = result.value(row: row, column: 0).flatMap({ Int($0) }) else { continue }
            let devices = result.value(row: row, column: 3).map { text in
                Set(text.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) })
            }
            do {
                let area = try GeofenceArea(wkt: result.value(row: row, column: 2) ?? "")
                valid.append(Geofence(id: id, name: result.value(row: row, column: 1) ?? "", area: area,
                                      deviceIds: devices))
            } catch {
                invalid.append((id, error.description))
            }
        }
        return (valid, invalid)
    }

    private func insert(_ events: [AnalyticsEvent]) throws(PostgresError) -> [StoredEvent] {
        if events.isEmpty { return [] }
        let result = try connection.execute(Self.insertEvents, [
            PostgresText.array(events.map(\.type)), times(events.map(\.eventTime)), ints(events.map(\.deviceId)),
            PostgresText.array(events.map { String($0.positionId) }),
            PostgresText.array(events.map { $0.geofenceId.map(String.init) }), PostgresText.array(events.map(\.attributes)),
        ], context: "insert events")
        return (0..<result.rowCount).compactMap { row in
            func text(_ column: Int) -> String? { result.value(row: row, column: column) }
            guard let id = text(0).flatMap({ Int64($0) }), let type = text(1),
                  let time = text(2).flatMap(PostgresText.date(fromTimestamp:)),
                  let deviceId = text(3).flatMap({ Int($0) })
            else { return nil }
            return StoredEvent(id: id, type: type, eventTime: time, deviceId: deviceId,
                               positionId: text(4).flatMap { Int64($0) } ?? 0, geofenceId: text(5).flatMap { Int($0) } ?? 0,
                               attributes: text(6) ?? "{}")
        }
    }

    private func ints(_ values: [Int]) -> String { PostgresText.array(values.map(String.init)) }
    private func doubles(_ values: [Double]) -> String { PostgresText.array(values.map { String($0) }) }
    private func bools(_ values: [Bool]) -> String { PostgresText.array(values.map { $0 ? "t" : "f" }) }
    private func times(_ values: [Date]) -> String { PostgresText.array(values.map(PostgresText.timestamp)) }
}
