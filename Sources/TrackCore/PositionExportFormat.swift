import Foundation

/// A file format for one device's position history, written in pieces so a response can stream it:
/// `header(device:)`, then `row(_:first:)` for each position in order, then `footer`.
///
/// Times are UTC ISO-8601 with milliseconds and `Z`. Speeds are knots (as stored and as Traccar's API gives
/// them) except in GPX, whose readers expect metres per second.
public enum PositionExportFormat: String, CaseIterable, Sendable {
    case gpx, csv, geojson

    public var contentType: String {
        switch self {
        case .gpx: "application/gpx+xml"
        case .csv: "text/csv; charset=utf-8"
        case .geojson: "application/geo+json"
        }
    }

    /// Without the dot.
    public var fileExtension: String { rawValue }

    /// What comes before the first row: the XML prologue and track name, the CSV header line, or the
    /// FeatureCollection's opening with the device's name.
    public func header(device: StoredDevice) -> String {
        switch self {
        case .gpx:
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="itrack" xmlns="http://www.topografix.com/GPX/1/1">
            <trk><name>\(Self.xmlEscaped(device.name))</name><trkseg>

            """
        case .csv:
            "id,deviceid,uniqueid,fixtime,latitude,longitude,altitude,speed_knots,course,accuracy,valid,attributes\r\n"
        case .geojson:
            #"{"type":"FeatureCollection","name":\#(JSONText.quoted(device.name)),"features":["# + "\n"
        }
    }

    /// One position; `first` is true for the first row after the header (GeoJSON puts a comma before the others).
    public func row(_ position: StoredPosition, first: Bool) -> String {
        switch self {
        case .gpx: Self.gpxPoint(position)
        case .csv: Self.csvLine(position)
        case .geojson: (first ? "" : ",") + Self.feature(position) + "\n"
        }
    }

    /// What closes the document after the last row (nothing for CSV).
    public var footer: String {
        switch self {
        case .gpx: "</trkseg></trk>\n</gpx>\n"
        case .csv: ""
        case .geojson: "]}\n"
        }
    }

    // GPX 1.1 dropped 1.0's <speed> from track points, so it goes in <extensions>, where GPX 1.1 allows any
    // element and readers such as GPSBabel and OsmAnd look for it; <ele> and <time> are 1.1's own.
    private static func gpxPoint(_ position: StoredPosition) -> String {
        var point = #"<trkpt lat="\#(decimal(position.latitude))" lon="\#(decimal(position.longitude))">"#
        if position.altitude.isFinite { point += "<ele>\(decimal(position.altitude))</ele>" }
        point += "<time>\(UTCTime(position.fixTime).iso8601Milliseconds)</time>"
        let metresPerSecond = (position.speed * 1852 / 3600 * 1000).rounded() / 1000
        if metresPerSecond.isFinite { point += "<extensions><speed>\(decimal(metresPerSecond))</speed></extensions>" }
        return point + "</trkpt>\n"
    }

    private static func csvLine(_ position: StoredPosition) -> String {
        let fixTime = UTCTime(position.fixTime).iso8601Milliseconds
        let fields = [
            String(position.id), String(position.deviceId), position.device.uniqueId, fixTime,
            decimal(position.latitude), decimal(position.longitude), decimal(position.altitude),
            decimal(position.speed), decimal(position.course), decimal(position.accuracy),
            position.valid ? "true" : "false", position.attributes.isEmpty ? "{}" : position.attributes,
        ]
        return fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    private static func feature(_ position: StoredPosition) -> String {
        // A position is [longitude, latitude, altitude] in GeoJSON (RFC 7946 §3.1.1); an unknown altitude is left out.
        var coordinates = [JSONText.number(position.longitude), JSONText.number(position.latitude)]
        if position.altitude.isFinite { coordinates.append(JSONText.number(position.altitude)) }
        let properties = JSONText.object([
            ("id", String(position.id)), ("fixTime", JSONText.quoted(UTCTime(position.fixTime).iso8601Milliseconds)),
            ("speed", JSONText.number(position.speed)), ("course", JSONText.number(position.course)),
            ("accuracy", JSONText.number(position.accuracy)),
            ("attributes", position.attributes.isEmpty ? "{}" : position.attributes),
        ])
        let geometry = JSONText.object([
            ("type", JSONText.quoted("Point")), ("coordinates", JSONText.array(coordinates)),
        ])
        return JSONText.object([
            ("type", JSONText.quoted("Feature")), ("geometry", geometry), ("properties", properties),
        ])
    }

    /// A double in plain decimal notation with the shortest digits that read back the same (`0.00001`, never
    /// `1e-05`, which XML's decimal type and spreadsheets reject); integral values keep a `.0` as in the JSON.
    /// Empty when not finite.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let shortest = JSONText.number(value)
        let parts = shortest.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return shortest }
        // Move the point of the shortest digits by the exponent: `-1.25e-05` → `-0.0000125`.
        let mantissa = parts[0].drop(while: { $0 == "-" })
        let digits = String(mantissa.filter { $0 != "." })
        let point = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count) + exponent
        let sign = value < 0 ? "-" : ""
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
        return sign + String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }

    /// Text for an XML element or attribute: the five markup characters as entities, and the control
    /// characters XML 1.0 forbids (a device name is user input) left out.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An RFC 4180 field: quoted, with quotes doubled, when it holds a comma, quote, CR or LF.
    static func csvField(_ text: String) -> String {
        let needsQuotes = text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"): true
            default: false
            }
        }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
