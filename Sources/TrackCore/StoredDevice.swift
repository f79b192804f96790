import Foundation

/// The `tc_devices` fields Traccar's Device JSON carries.
public struct StoredDevice: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var uniqueId: String
    public var status: String?
    public var lastUpdate: Date?
    public var positionId: Int64?
    public var groupId: Int?
    public var calendarId: Int?
    public var phone: String?
    public var model: String?
    public var contact: String?
    public var category: String?
    public var disabled: Bool
    public var expirationTime: Date?
    public var attributes: String

    public init(id: Int, name: String, uniqueId: String, status: String? = nil, lastUpdate: Date? = nil,
                positionId: Int64? = nil, groupId: Int? = nil, calendarId: Int? = nil, phone: String? = nil,
                model: String? = nil, contact: String? = nil, category: String? = nil, disabled: Bool = false,
                expirationTime: Date? = nil, attributes: String = "{}") {
        self.id = id
        self.name = name
        self.uniqueId = uniqueId
        self.status = status
        self.lastUpdate = lastUpdate
        self.positionId = positionId
        self.groupId = groupId
        self.calendarId = calendarId
        self.phone = phone
        self.model = model
        self.contact = contact
        self.category = category
        self.disabled = disabled
        self.expirationTime = expirationTime
        self.attributes = attributes
    }

    /// Traccar's Device JSON: nulls present; `positionId`, `groupId`, `calendarId` 0 and `status` offline
    /// when unset.
    public var traccarJSON: String {
        func text(_ value: String?) -> String { value.map(JSONText.quoted) ?? "null" }
        func time(_ value: Date?) -> String { value.map { JSONText.quoted(TraccarTime.text($0)) } ?? "null" }
        return JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes),
            ("groupId", String(groupId ?? 0)), ("calendarId", String(calendarId ?? 0)), ("name", text(name)),
            ("uniqueId", text(uniqueId)), ("status", text(status ?? "offline")), ("lastUpdate", time(lastUpdate)),
            ("positionId", String(positionId ?? 0)), ("phone", text(phone)), ("model", text(model)),
            ("contact", text(contact)), ("category", text(category)), ("disabled", disabled ? "true" : "false"),
            ("expirationTime", time(expirationTime)),
        ])
    }
}
