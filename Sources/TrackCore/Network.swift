/// Cell towers and Wi-Fi access points a phone reported, stored as `tc_positions.network`.
public struct Network: Sendable, Equatable {
    public var cellTowers: [CellTower]
    public var wifiAccessPoints: [WifiAccessPoint]

    public init(cellTowers: [CellTower] = [], wifiAccessPoints: [WifiAccessPoint] = []) {
        self.cellTowers = cellTowers
        self.wifiAccessPoints = wifiAccessPoints
    }

    public var isEmpty: Bool { cellTowers.isEmpty && wifiAccessPoints.isEmpty }

    /// The JSON shape Traccar stores (`considerIp` false, empty lists left out).
    public var jsonText: String {
        var members: [(String, String)] = [("considerIp", "false")]
        if !cellTowers.isEmpty {
            members.append(("cellTowers", JSONText.array(cellTowers.map(\.jsonText))))
        }
        if !wifiAccessPoints.isEmpty {
            members.append(("wifiAccessPoints", JSONText.array(wifiAccessPoints.map(\.jsonText))))
        }
        return JSONText.object(members)
    }
}

/// One cell tower: mobile country and network codes, location area code, cell id, signal strength.
public struct CellTower: Sendable, Equatable {
    public var mobileCountryCode: Int32
    public var mobileNetworkCode: Int32
    public var locationAreaCode: Int32
    public var cellId: Int32
    public var signalStrength: Int32?

    public init(
        mobileCountryCode: Int32, mobileNetworkCode: Int32, locationAreaCode: Int32, cellId: Int32,
        signalStrength: Int32? = nil
    ) {
        self.mobileCountryCode = mobileCountryCode
        self.mobileNetworkCode = mobileNetworkCode
        self.locationAreaCode = locationAreaCode
        self.cellId = cellId
        self.signalStrength = signalStrength
    }

    var jsonText: String {
        var members: [(String, String)] = [
            ("cellId", String(cellId)), ("locationAreaCode", String(locationAreaCode)),
            ("mobileCountryCode", String(mobileCountryCode)), ("mobileNetworkCode", String(mobileNetworkCode)),
        ]
        if let signalStrength { members.append(("signalStrength", String(signalStrength))) }
        return JSONText.object(members)
    }
}

/// One Wi-Fi access point: MAC address (colon-separated) and signal strength.
public struct WifiAccessPoint: Sendable, Equatable {
    public var macAddress: String
    public var signalStrength: Int32

    public init(macAddress: String, signalStrength: Int32) {
        self.macAddress = macAddress
        self.signalStrength = signalStrength
    }

    var jsonText: String {
        JSONText.object([("macAddress", JSONText.quoted(macAddress)), ("signalStrength", String(signalStrength))])
    }
}
