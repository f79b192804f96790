/// A link between two objects, as `POST`/`DELETE /api/permissions` name it: who sees a device or geofence, and
/// which geofences apply to a device (Traccar's `tc_user_device`, `tc_user_geofence` and `tc_device_geofence`).
public enum Permission: Sendable, Equatable, CustomStringConvertible {
    case userDevice(userId: Int, deviceId: Int)
    case userGeofence(userId: Int, geofenceId: Int)
    case deviceGeofence(deviceId: Int, geofenceId: Int)

    /// Parses a body such as `{"userId":2,"deviceId":5}`: exactly two of `userId`, `deviceId` and `geofenceId`,
    /// in either order, each a positive whole number. Traccar's other kinds (groups, notifications, drivers…)
    /// are refused by name, since nothing here stores them.
    public init(json: [UInt8]) throws(JSONBody.Failure) {
        let body = try JSONBody(json, what: "permission body")
        let known: Set<String> = ["userId", "deviceId", "geofenceId"]
        if let other = body.keys.sorted().first(where: { !known.contains($0) }) {
            throw JSONBody.Failure("\(other) links are not supported; use two of userId, deviceId and geofenceId")
        }
        func id(_ key: String) throws(JSONBody.Failure) -> Int? {
            guard body.has(key) else { return nil }
            guard let id = try body.integer(key, in: 1...Int(Int32.max)) else {
                throw JSONBody.Failure("\(key) must be a number, got null")
            }
            return id
        }
        switch (try id("userId"), try id("deviceId"), try id("geofenceId")) {
        case let (user?, device?, nil): self = .userDevice(userId: user, deviceId: device)
        case let (user?, nil, geofence?): self = .userGeofence(userId: user, geofenceId: geofence)
        case let (nil, device?, geofence?): self = .deviceGeofence(deviceId: device, geofenceId: geofence)
        default: throw JSONBody.Failure("permission body needs exactly two of userId, deviceId and geofenceId")
        }
    }

    /// The user it gives access, for the links only an administrator may make.
    public var userId: Int? {
        switch self {
        case .userDevice(let userId, _), .userGeofence(let userId, _): userId
        case .deviceGeofence: nil
        }
    }

    /// Its two ends as the body names them: `userId 2 and deviceId 5`.
    public var description: String {
        switch self {
        case .userDevice(let user, let device): "userId \(user) and deviceId \(device)"
        case .userGeofence(let user, let geofence): "userId \(user) and geofenceId \(geofence)"
        case .deviceGeofence(let device, let geofence): "deviceId \(device) and geofenceId \(geofence)"
        }
    }
}
