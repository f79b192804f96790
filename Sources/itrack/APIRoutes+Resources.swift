import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// Geofences, events, position history and exports: the API's resources beyond sessions and devices.
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
                try GeofenceStore(connection: $0).geofences(for: user, ids: request.all("id").compactMap { Int($0) },
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
            return try database.with { try AccountStore(connection: $0).updateDevice(device, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no device \(id)")
        case ("DELETE", "devices", 3):
            guard let id = Int(parts[2]) else { return .text(400, "device id \(parts[2]) is not a number") }
            return try database.with { try AccountStore(connection: $0).deleteDevice(id: id, for: user) }
                ? HTTPResponse(status: 204) : .text(404, "no device \(id)")
        case ("GET", "users", 2):
            guard user.administrator else { return .text(403, "only administrators list users") }
            let users = try database.with { try AccountStore(connection: $0).allUsers() }
            return json(200, JSONText.array(users.map(\.traccarJSON)))
        case ("GET", "statistics", 2):
            guard user.administrator else { return .text(403, "only administrators read statistics") }
            guard let (from, to) = range(request) else { return rangeRequired }
            let days = try database.with { try AccountStore(connection: $0).statistics(from: from, to: to) }
            return json(200, JSONText.array(days.map { day in
                JSONText.object([
                    ("id", "0"), ("attributes", "{}"), ("captureTime", JSONText.quoted(TraccarTime.text(day.day))),
                    ("activeUsers", "0"), ("activeDevices", String(day.devices)), ("requests", "0"),
                    ("messagesReceived", String(day.stored)), ("messagesStored", String(day.stored)), ("mailSent", "0"),
                    ("smsSent", "0"), ("geocoderRequests", "0"), ("geolocationRequests", "0"),
                ])
            }))
        case ("GET", "events", 3):
            guard let id = Int64(parts[2]) else { return .text(400, "event id \(parts[2]) is not a number") }
            return try database.with { try EventStore(connection: $0).event(id: id, for: user) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no event \(id)")
        case ("GET", "reports", 3) where parts[2] == "events":
            guard let (from, to) = range(request) else { return rangeRequired }
            let events = try database.with {
                try EventStore(connection: $0).events(for: user, deviceIds: request.all("deviceId").compactMap { Int($0) },
                                                      from: from, to: to, types: request.all("type"))
            }
            return json(200, JSONText.array(events.map(\.traccarJSON)))
        case ("GET", "reports", 3) where parts[2] == "route":
            guard let (from, to) = range(request) else { return rangeRequired }
            return try history(request, user: user, from: from, to: to)
        case ("GET", "positions", 3):
            guard let format = PositionExportFormat(rawValue: parts[2]) else { return nil }
            guard let (from, to) = range(request) else { return rangeRequired }
            return try export(request, user: user, format: format, from: from, to: to)
        default:
            return nil
        }
    }

    /// `deviceId` + `from` + `to`: the device's positions in fix-time order, at most `maxPositions`.
    func history(_ request: APIRequest, user: StoredUser, from: Date, to: Date) throws -> HTTPResponse {
        let deviceIds = request.all("deviceId").compactMap { Int($0) }
        let rows: [StoredPosition] = try database.with { connection in
            let visible = try AccountStore(connection: connection).devices(for: user, ids: deviceIds).map(\.id)
            return try visible.flatMap { id throws(PostgresError) in
                try PositionHistory(connection: connection).rows(deviceId: id, from: from, to: to, limit: Self.maxPositions)
            }
        }
        return json(200, JSONText.array(rows.map(\.traccarJSON)))
    }

    /// A device's track as GPX, CSV or GeoJSON, read page by page.
    private func export(_ request: APIRequest, user: StoredUser, format: PositionExportFormat, from: Date, to: Date)
        throws -> HTTPResponse
    {
        guard let deviceId = request.first("deviceId").flatMap({ Int($0) }) else {
            return .text(400, "deviceId is required")
        }
        let body: [UInt8]? = try database.with { connection in
            guard let device = try AccountStore(connection: connection).devices(for: user, ids: [deviceId]).first else {
                return nil
            }
            var out = Array(format.header(device: device).utf8)
            var first = true
            try PositionHistory(connection: connection).each(deviceId: deviceId, from: from, to: to) { page in
                for position in page {
                    out.append(contentsOf: format.row(position, first: first).utf8)
                    first = false
                }
                return true
            }
            out.append(contentsOf: format.footer.utf8)
            return out
        }
        guard let body else { return .text(404, "no device \(deviceId)") }
        var response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", format.contentType)]), body: body)
        response.headers.add("Content-Disposition",
                             "attachment; filename=\"device-\(deviceId).\(format.fileExtension)\"")
        return response
    }

    /// `from` and `to`, ISO 8601 with a zone as Traccar requires.
    func range(_ request: APIRequest) -> (Date, Date)? {
        guard let from = request.first("from").flatMap(TraccarTime.date(from:)),
              let to = request.first("to").flatMap(TraccarTime.date(from:))
        else { return nil }
        return (from, to)
    }

    private var rangeRequired: HTTPResponse {
        .text(400, "from and to are required, as ISO 8601 times with a zone (2026-11-29T10:00:00Z)")
    }
}
