import TrackCore

/// Traccar's Server object for `GET /api/server`: what clients such as pytraccar read before logging in.
enum ServerInfo {
    static let json = JSONText.object([
        ("id", "1"), ("attributes", "{}"), ("registration", "false"), ("readonly", "false"),
        ("deviceReadonly", "false"), ("map", "null"), ("bingKey", "null"), ("mapUrl", "null"), ("overlayUrl", "null"),
        ("latitude", "0.0"), ("longitude", "0.0"), ("zoom", "0"), ("forceSettings", "false"),
        ("coordinateFormat", "null"), ("limitCommands", "false"), ("disableReports", "false"), ("fixedEmail", "false"),
        ("poiLayer", "null"), ("announcement", "null"), ("emailEnabled", "false"), ("geocoderEnabled", "false"),
        ("textEnabled", "false"), ("storageSpace", "null"), ("newServer", "false"), ("openIdEnabled", "false"),
        ("openIdForce", "false"), ("version", JSONText.quoted(ITrack.version)),
    ])
}
