/// What a protocol decoder learned from one message: who sent it and what they reported.
public struct DeviceReport: Sendable, Equatable {
    /// The device's unique id as the phone sends it (`id`, `deviceid`, `device_id`), trimmed.
    public var uniqueId: String
    /// The reported position; `outdated` when the message had no coordinates.
    public var position: Position
    /// A push-notification token the app registered with this message, if any.
    public var notificationToken: String?
    /// The HTTP status Traccar answers for this message format when the device is unknown
    /// (400 for query/form, 404 for JSON).
    public var unknownDeviceStatus: Int

    public init(uniqueId: String, position: Position, notificationToken: String? = nil, unknownDeviceStatus: Int) {
        self.uniqueId = uniqueId
        self.position = position
        self.notificationToken = notificationToken
        self.unknownDeviceStatus = unknownDeviceStatus
    }
}
