import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// Devices by id, geofences, events and position history: the API's resources beyond sessions, users,
/// permissions and exports (`APIRoutes+Users`, `+Permissions`, `+Exports`).
extension APIRoutes {
    /// Traccar's cap on one history answer (`report.maxPositions`).
    static let maxPositions = 50_000

    /// Answers the request when it is one of these resources; nil otherwise.
    func resource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        let parts = http.path.split(separator: "/").map(String.init)  // ["api", resource, id?]
        if user.readonly && http.method != "GET" { return .text(403, "this user is read-only") }
        switch (http.method, parts.dropFirst().first ?? "", parts.count) {
        case ("GET", "geofences", 2):
            let geofences = try database.with {
                try GeofenceStore(connection: $0).geofences(for: user, ids: request.ids("id"),
                                                            deviceId: request.first("deviceId").flatMap { Int($0) })
            }
            return json(200, JSONText.array(geofences.map(\.traccarJSON)))
        case ("GET", "geofences", 3):
            guard let id = Int(parts[2]) else { return .text(400, "geofence id \(parts[2]) is not a number") }
            return try database.with { try GeofenceStore(connection: $0).geofence(id: id, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no geofence \(id)")
        case ("POST", "geofences", 2):
            let geofence = try StoredGeofence(json: http.body)
            return json(200, try database.with { try GeofenceStore(connection: $0).create(geofence, for: user) }.traccarJSON)
        case ("PUT", "geofences", 3):
            guard let id = Int(parts[2]) else { return .text(400, "geofence id \(parts[2]) is not a number") }
            var geofence = try StoredGeofence(json: http.body)
            geofence.id = id
            return try database.with { try GeofenceStore(connection: $0).update(geofence, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no geofence \(id)")
        case ("DELETE", "geofences", 3):
            guard let id = Int(parts[2]) else { return .text(400, "geofence id \(parts[2]) is not a number") }
            return try database.with { try GeofenceStore(connection: $0).delete(id: id, for: user) }
                ? HTTPResponse(status: 204) : .text(404, "no geofence \(id)")
        case ("GET", "devices", 3):
            guard let id = Int(parts[2]) else { return .text(400, "device id \(parts[2]) is not a number") }
            return try database.with { try AccountStore(connection: $0).devices(for: user, ids: [id]).first }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no device \(id)")
        case ("POST", "devices", 2):
            let device = try StoredDevice(json: http.body)
            return try database.with { try AccountStore(connection: $0).createDevice(device, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(400, "a device with unique id \(device.uniqueId) exists")
        case ("PUT", "devices", 3):
            guard let id = Int(parts[2]) else { return .text(400, "device id \(parts[2]) is not a number") }
            var device = try StoredDevice(json: http.body)
            device.id = id
            let updated = try database.with { try AccountStore(connection: $0).updateDevice(device, for: user) }
            if updated != nil { devicesChanged() }
            return updated.map { json(200, $0.traccarJSON) } ?? .text(404, "no device \(id)")
        case ("DELETE", "devices", 3):
            guard let id = Int(parts[2]) else { return .text(400, "device id \(parts[2]) is not a number") }
            guard try database.with({ try AccountStore(connection: $0).deleteDevice(id: id, for: user) }) else {
                return .text(404, "no device \(id)")
            }
            devicesChanged()
            return HTTPResponse(status: 204)
        case ("GET", "events", 3):
            guard let id = Int64(parts[2]) else { return .text(400, "event id \(parts[2]) is not a number") }
            return try database.with { try EventStore(connection: $0).event(id: id, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no event \(id)")
        case ("GET", "reports", 3) where parts[2] == "events":
            guard let (from, to) = range(request) else { return rangeRequired }
            let events = try database.with {
                try EventStore(connection: $0).events(for: user, deviceIds: request.ids("deviceId"),
                                                      from: from, to: to, types: request.all("type"))
            }
            return json(200, JSONText.array(events.map(\.traccarJSON)))
        case ("GET", "reports", 3) where parts[2] == "route":
            guard let (from, to) = range(request) else { return rangeRequired }
            return try history(request, user: user, from: from, to: to)
        default:
            return nil
        }
    }

    /// `deviceId` + `from` + `to`: the device's positions in fix-time order, at most `maxPositions`.
    func history(_ request: APIRequest, user: StoredUser, from: Date, to: Date) throws -> HTTPResponse {
        let deviceIds = request.ids("deviceId")
        let rows: [StoredPosition] = try database.with { connection in
            let visible = try AccountStore(connection: connection).devices(for: user, ids: deviceIds).map(\.id)
            return try visible.flatMap { id throws(PostgresError) in
                try PositionHistory(connection: connection).rows(deviceId: id, from: from, to: to, limit: Self.maxPositions)
            }
        }
        return json(200, JSONText.array(rows.map(\.traccarJSON)))
    }

    /// `from` and `to`, ISO 8601 with a zone as Traccar requires.
    func range(_ request: APIRequest) -> (Date, Date)? {
        guard let from = request.first("from").flatMap(TraccarTime.date(from:)),
              let to = request.first("to").flatMap(TraccarTime.date(from:))
        else { return nil }
        return (from, to)
    }

    var rangeRequired: HTTPResponse {
        .text(400, "from and to are required, as ISO 8601 times with a zone (2026-11-29T10:00:00Z)")
    }
}
