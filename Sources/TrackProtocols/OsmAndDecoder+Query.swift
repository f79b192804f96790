import Foundation
import TrackCore
import TrackWire

/// The query/form format: Traccar Client 10.x, the legacy native clients, OsmAnd, GPSLogger.
extension OsmAndDecoder {
    /// What the parameters of one request said, filled in Traccar's processing order.
    struct QueryFields {
        var uniqueId: String?
        var notificationToken: String?
        var time: Date?
        var valid = true
        var latitude: Double?
        var longitude: Double?
        var altitude = 0.0
        var speed = 0.0
        var course = 0.0
        var accuracy = 0.0
        var attributes: Attributes = [:]
        var network = Network()
    }

    /// Parameters come from the request-target and, only when it has none, from the body; each value is
    /// applied in Netty's order (grouped by name in order of first appearance), so the last value of a
    /// field wins and `heading` after `bearing` overrides it.
    func decodeQuery(_ request: HTTPRequest, receivedAt now: Date) throws(Rejection) -> DeviceReport {
        var fields = QueryFields()
        for parameter in try Self.parameters(of: request) {
            for value in parameter.values {
                try apply(parameter.name, value, to: &fields)
            }
        }
        guard let uniqueId = fields.uniqueId else { throw Rejection("no id or deviceid parameter") }
        let time = fields.time ?? now
        var position: Position
        if let latitude = fields.latitude, let longitude = fields.longitude {
            position = Position(
                protocolName: Self.protocolName, deviceTime: time, fixTime: time, valid: fields.valid,
                latitude: latitude, longitude: longitude)
        } else {
            position = Self.outdatedPosition(at: time)
        }
        position.altitude = fields.altitude
        position.speed = fields.speed
        position.course = fields.course
        position.accuracy = fields.accuracy
        position.attributes = fields.attributes
        position.network = fields.network.isEmpty ? nil : fields.network
        return DeviceReport(
            uniqueId: uniqueId, position: position, notificationToken: fields.notificationToken,
            unknownDeviceStatus: 400)
    }

    /// The request-target's parameters, or the form body's when the target has none.
    static func parameters(of request: HTTPRequest) throws(Rejection) -> [QueryStringDecoder.Parameter] {
        let fromTarget: [QueryStringDecoder.Parameter]
        do throws(QueryStringDecoder.Failure) {
            fromTarget = try QueryStringDecoder.decode(Array((request.query ?? "").utf8))
        } catch {
            throw Rejection("query string: \(error.reason) at offset \(error.offset)")
        }
        guard fromTarget.isEmpty else { return fromTarget }
        do throws(QueryStringDecoder.Failure) {
            return try QueryStringDecoder.decode(request.body)
        } catch {
            throw Rejection("form body: \(error.reason) at offset \(error.offset)")
        }
    }

    /// Applies one parameter value the way Traccar's `decodeQuery` switch does.
    func apply(_ name: String, _ value: String, to fields: inout QueryFields) throws(Rejection) {
        switch name {
        case "id", "deviceid": fields.uniqueId = try Self.uniqueId(value)
        case "notificationToken":
            // Traccar only honours a token once it knows the device, i.e. after `id`.
            if fields.uniqueId != nil, !value.isEmpty { fields.notificationToken = value }
        case "valid": fields.valid = JavaLang.parseBoolean(value) || value == "1"
        case "timestamp": fields.time = try Self.timestamp(value)
        case "lat": fields.latitude = try Self.latitude(Self.number(value, "lat"))
        case "lon": fields.longitude = try Self.longitude(Self.number(value, "lon"))
        case "location":
            let parts = JavaLang.split(value)
            guard parts.count >= 2 else { throw Rejection("location \(Self.quoted(value)) is not lat,lon") }
            fields.latitude = try Self.latitude(Self.number(String(parts[0]), "location latitude"))
            fields.longitude = try Self.longitude(Self.number(String(parts[1]), "location longitude"))
        case "cell": fields.network.cellTowers.append(try Self.cellTower(value))
        case "wifi": fields.network.wifiAccessPoints.append(try Self.wifiAccessPoint(value))
        case "speed": fields.speed = knots(fromQuerySpeed: try Self.number(value, "speed"))
        case "bearing", "heading": fields.course = try Self.number(value, name)
        case "altitude": fields.altitude = try Self.number(value, name)
        case "accuracy": fields.accuracy = try Self.number(value, name)
        case "hdop": fields.attributes["hdop"] = .double(try Self.number(value, name))
        case "batt": fields.attributes["batteryLevel"] = .double(try Self.number(value, name))
        case "charge": fields.attributes["charge"] = .bool(JavaLang.parseBoolean(value))
        case "driverUniqueId": if !value.isEmpty { fields.attributes["driverUniqueId"] = .string(value) }
        default: if !value.isEmpty { fields.attributes[name] = AttributeValue(queryValue: value) }
        }
    }

    /// A query `speed` in knots, converted from the configured unit.
    func knots(fromQuerySpeed value: Double) -> Double {
        switch speedUnit {
        case .knots: value
        case .kmh: Speed.knots(fromKilometresPerHour: value)
        case .mps: Speed.knots(fromMetresPerSecond: value)
        case .mph: Speed.knots(fromMilesPerHour: value)
        }
    }

    /// A parameter parsed with Java's `Double.parseDouble` grammar; must be finite.
    static func number(_ value: String, _ name: String) throws(Rejection) -> Double {
        guard let number = JavaLang.parseDouble(value) else {
            throw Rejection("\(name) \(quoted(value)) is not a number")
        }
        return try finite(number, name)
    }

    static func timestamp(_ value: String) throws(Rejection) -> Date {
        if let date = TimestampParser.parseQueryValue(value) { return try plausible(date, from: value, "timestamp") }
        if JavaLang.parseDouble(value) != nil {
            throw Rejection("timestamp \(quoted(value)) is not a whole number of seconds or milliseconds")
        }
        if value.contains("T") {
            throw Rejection("timestamp \(quoted(value)) is not ISO 8601 with a zone (Z or ±HH:MM)")
        }
        throw Rejection("timestamp \(quoted(value)) is not epoch time, ISO 8601 or yyyy-MM-dd HH:mm:ss")
    }

    /// `mcc,mnc,lac,cid[,rssi]`, each a 32-bit integer; a positive rssi is negated, further fields ignored.
    static func cellTower(_ value: String) throws(Rejection) -> CellTower {
        let parts = JavaLang.split(value)
        guard parts.count >= 4 else { throw Rejection("cell \(quoted(value)) is not mcc,mnc,lac,cid[,rssi]") }
        var numbers: [Int32] = []
        for part in parts.prefix(5) {
            guard let number = JavaLang.parseInt(part) else {
                throw Rejection("cell \(quoted(value)) has \(quoted(String(part))), not a 32-bit integer")
            }
            numbers.append(number)
        }
        return CellTower(
            mobileCountryCode: numbers[0], mobileNetworkCode: numbers[1], locationAreaCode: numbers[2],
            cellId: numbers[3], signalStrength: numbers.count > 4 ? negated(numbers[4]) : nil)
    }

    /// `mac,rssi`; `-` in the MAC becomes `:` and a positive rssi is negated.
    static func wifiAccessPoint(_ value: String) throws(Rejection) -> WifiAccessPoint {
        let parts = JavaLang.split(value)
        guard parts.count >= 2 else { throw Rejection("wifi \(quoted(value)) is not mac,rssi") }
        guard let rssi = JavaLang.parseInt(parts[1]) else {
            throw Rejection("wifi \(quoted(value)) has \(quoted(String(parts[1]))), not a 32-bit integer")
        }
        let mac = String(parts[0]).replacingOccurrences(of: "-", with: ":")
        return WifiAccessPoint(macAddress: mac, signalStrength: negated(rssi))
    }

    /// Signal strengths are dBm, so a positive one is a client that dropped the sign.
    private static func negated(_ rssi: Int32) -> Int32 {
        rssi > 0 ? -rssi : rssi
    }
}
