import Foundation

/// A `tc_geofences` row, as the API shows it and as a POST or PUT body describes it.
public struct StoredGeofence: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var description: String?
    /// Traccar's area text (`CIRCLE (lat lon, radius)`, …), kept exactly as the client wrote it.
    public var area: String
    /// A JSON object.
    public var attributes: String
    /// nil when the geofence follows no calendar; Traccar shows that as 0.
    public var calendarId: Int?

    public init(id: Int = 0, name: String, description: String? = nil, area: String, attributes: String = "{}",
                calendarId: Int? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.area = area
        self.attributes = attributes
        self.calendarId = calendarId
    }

    /// Traccar's Geofence JSON, field order as Traccar emits it, nulls present.
    public var traccarJSON: String {
        JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes),
            ("calendarId", String(calendarId ?? 0)), ("name", JSONText.quoted(name)),
            ("description", description.map(JSONText.quoted) ?? "null"), ("area", JSONText.quoted(area)),
        ])
    }
}

extension StoredGeofence {
    /// The widest text each column holds (`tc_geofences`' varchar sizes), checked here so an oversized field is a
    /// clear 400 rather than a database error.
    static let limits = (name: 128, description: 128, area: 4096, attributes: 4000)

    /// Parses the JSON body of `POST /api/geofences` or `PUT /api/geofences/{id}`.
    ///
    /// `name` and `area` are required and the area must parse as `GeofenceArea`; `id` (0 when absent),
    /// `description`, `attributes` (an object, re-written with sorted keys) and `calendarId` (0 or null: none)
    /// are optional; other members, such as ones a newer Traccar web app sends, are ignored.
    public init(json: [UInt8]) throws(JSONBody.Failure) {
        let body = try JSONBody(json, what: "geofence body")
        let id = try body.integer("id") ?? 0
        let name = try body.text("name", limit: Self.limits.name, required: true) ?? ""
        let description = try body.text("description", limit: Self.limits.description, required: false)
        let area = try body.text("area", limit: Self.limits.area, required: true) ?? ""
        do {
            _ = try GeofenceArea(wkt: area)
        } catch {
            throw JSONBody.Failure("area is invalid: \(error.message)")
        }
        let attributes = try body.attributes(limit: Self.limits.attributes)
        let calendarId = try body.integer("calendarId")
        self.init(id: id, name: name, description: description, area: area, attributes: attributes,
                  calendarId: calendarId == 0 ? nil : calendarId)
    }
}
