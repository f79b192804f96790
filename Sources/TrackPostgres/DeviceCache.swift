import TrackCore

/// What the writer remembers about a device between batches: its row id and latest position.
struct CachedDevice {
    var id: Int
    var disabled: Bool
    var last: Position?
}

/// Reads devices for a batch, and registers the unknown ones inside the batch's transaction.
struct DeviceResolver {
    let registerUnknown: Bool
    let mayRegister: (String) -> Bool

    /// Which of `uniqueIds` may be created, under `database.registerUnknown` and its pattern.
    func registrable(_ uniqueIds: [String]) -> [String] {
        registerUnknown ? uniqueIds.filter(mayRegister) : []
    }

    /// Creates the devices named by `uniqueIds`; those another server created meanwhile are left as they are and
    /// read instead.
    func register(_ uniqueIds: [String], on connection: PostgresConnection) throws(PostgresError)
        -> [String: CachedDevice]
    {
        if uniqueIds.isEmpty { return [:] }
        let created = try connection.execute("""
            INSERT INTO tc_devices (name, uniqueid) SELECT u, u FROM unnest($1::varchar[]) AS u
            ON CONFLICT (uniqueid) DO NOTHING RETURNING id, uniqueid
            """, [PostgresText.array(uniqueIds)], context: "register devices")
        var devices: [String: CachedDevice] = [:]
        for row in 0..<created.rowCount {
            guard let id = created.value(row: row, column: 0).flatMap({ Int($0) }),
                  let uniqueId = created.value(row: row, column: 1)
            else { continue }
            devices[uniqueId] = CachedDevice(id: id, disabled: false, last: nil)
        }
        for (uniqueId, device) in try lookUp(uniqueIds.filter { devices[$0] == nil }, on: connection) {
            devices[uniqueId] = device
        }
        return devices
    }

    /// Reads the devices named by `uniqueIds` that exist, each with its latest position.
    func lookUp(_ uniqueIds: [String], on connection: PostgresConnection) throws(PostgresError)
        -> [String: CachedDevice]
    {
        if uniqueIds.isEmpty { return [:] }
        let result = try connection.execute("""
            SELECT d.id, d.uniqueid, d.disabled, p.protocol, p.devicetime, p.fixtime, p.valid, p.latitude,
                   p.longitude, p.altitude, p.speed, p.course, p.accuracy
            FROM tc_devices d LEFT JOIN tc_positions p ON p.id = d.positionid
            WHERE d.uniqueid = ANY($1::varchar[])
            """, [PostgresText.array(uniqueIds)], context: "look up devices")
        var devices: [String: CachedDevice] = [:]
        for row in 0..<result.rowCount {
            guard let id = result.value(row: row, column: 0).flatMap({ Int($0) }),
                  let uniqueId = result.value(row: row, column: 1)
            else { continue }
            devices[uniqueId] = CachedDevice(
                id: id, disabled: result.value(row: row, column: 2) == "t", last: lastPosition(result, row))
        }
        return devices
    }

    private func lastPosition(_ result: PostgresResult, _ row: Int) -> Position? {
        func double(_ column: Int) -> Double { result.value(row: row, column: column).flatMap(Double.init) ?? 0 }
        guard let deviceTime = result.value(row: row, column: 4).flatMap(PostgresText.date(fromTimestamp:)),
              let fixTime = result.value(row: row, column: 5).flatMap(PostgresText.date(fromTimestamp:))
        else { return nil }
        return Position(
            protocolName: result.value(row: row, column: 3) ?? "", deviceTime: deviceTime, fixTime: fixTime,
            valid: result.value(row: row, column: 6) == "t", latitude: double(7), longitude: double(8),
            altitude: double(9), speed: double(10), course: double(11), accuracy: double(12))
    }
}
