extension StoredDevice {
    /// The widest text each column holds (`tc_devices`' varchar sizes).
    static let limits = (name: 128, uniqueId: 128, phone: 128, model: 128, contact: 512, category: 128,
                         attributes: 4000)

    /// Parses the JSON body of `POST /api/devices` or `PUT /api/devices/{id}`: `name` and `uniqueId` are
    /// required; `phone`, `model`, `contact`, `category`, `disabled` and `attributes` are optional; the rest
    /// (status, position, last update) is the server's to say and is ignored.
    public init(json: [UInt8]) throws(JSONBody.Failure) {
        let body = try JSONBody(json, what: "device body")
        let limits = Self.limits
        self.init(
            id: try body.integer("id") ?? 0,
            name: try body.text("name", limit: limits.name, required: true) ?? "",
            uniqueId: try body.text("uniqueId", limit: limits.uniqueId, required: true) ?? "", status: nil,
            lastUpdate: nil, positionId: nil, groupId: nil, calendarId: nil,
            phone: try body.text("phone", limit: limits.phone, required: false),
            model: try body.text("model", limit: limits.model, required: false),
            contact: try body.text("contact", limit: limits.contact, required: false),
            category: try body.text("category", limit: limits.category, required: false),
            disabled: try body.bool("disabled") ?? false, expirationTime: nil,
            attributes: try body.attributes(limit: limits.attributes))
    }
}
