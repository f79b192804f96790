import Foundation

/// A `tc_users` row, as the API shows it (never with its password).
public struct StoredUser: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var email: String
    public var login: String?
    public var administrator: Bool
    public var readonly: Bool
    public var disabled: Bool
    public var expirationTime: Date?
    public var attributes: String
    /// Traccar's cap on the devices the user may add: -1 no limit (Traccar's default), 0 none. Stored and shown;
    /// adding a device does not check it yet.
    public var deviceLimit: Int

    public init(id: Int, name: String, email: String, login: String?, administrator: Bool, readonly: Bool,
                disabled: Bool, expirationTime: Date?, attributes: String, deviceLimit: Int = -1) {
        self.id = id
        self.name = name
        self.email = email
        self.login = login
        self.administrator = administrator
        self.readonly = readonly
        self.disabled = disabled
        self.expirationTime = expirationTime
        self.attributes = attributes
        self.deviceLimit = deviceLimit
    }

    /// Traccar's User JSON, field order as Traccar emits it; `password` is always null.
    public var traccarJSON: String {
        JSONText.object([
            ("id", String(id)), ("attributes", attributes.isEmpty ? "{}" : attributes), ("name", JSONText.quoted(name)),
            ("login", login.map(JSONText.quoted) ?? "null"), ("email", JSONText.quoted(email)), ("phone", "null"),
            ("readonly", readonly ? "true" : "false"), ("administrator", administrator ? "true" : "false"),
            ("map", "null"), ("latitude", "0.0"), ("longitude", "0.0"), ("zoom", "0"), ("coordinateFormat", "null"),
            ("disabled", disabled ? "true" : "false"),
            ("expirationTime", expirationTime.map { JSONText.quoted(TraccarTime.text($0)) } ?? "null"),
            ("deviceLimit", String(deviceLimit)), ("userLimit", "0"), ("deviceReadonly", "false"),
            ("limitCommands", "false"), ("disableReports", "false"), ("fixedEmail", "false"), ("poiLayer", "null"),
            ("totpKey", "null"), ("temporary", "false"), ("password", "null"),
        ])
    }
}
