import Foundation
import TrackCore

/// Reads the messages itrack's publisher puts on the positions topic (`{"position":…,"device":…}`, Traccar's
/// forwarder shape) back into fixes, taking only the fields the analytics use.
public enum PositionMessage {
    public struct DecodeError: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Fields {
        var id: Int64?
        var deviceId: Int64?
        var fixTime: String?
        var latitude: Double?
        var longitude: Double?
        var speed = 0.0
        var accuracy = 0.0
        var uniqueId: String?
    }

    /// The fix and the device's unique id (the events topic's key).
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> (fix: Fix, uniqueId: String) {
        let fields: Fields
        do {
            fields = try scan(bytes)
        } catch {
            throw DecodeError(description: "not a position message: \(error.message)")
        }
        guard let id = fields.id, let deviceId = fields.deviceId.flatMap({ Int(exactly: $0) }),
              let fixTimeText = fields.fixTime, let latitude = fields.latitude, let longitude = fields.longitude,
              let uniqueId = fields.uniqueId
        else {
            let missing = [("\"id\"", fields.id == nil), ("\"deviceId\"", fields.deviceId == nil),
                           ("\"fixTime\"", fields.fixTime == nil), ("\"latitude\"", fields.latitude == nil),
                           ("\"longitude\"", fields.longitude == nil), ("\"uniqueId\"", fields.uniqueId == nil)]
                .filter(\.1).map(\.0)
            throw DecodeError(description: "not a position message: missing \(missing.joined(separator: ", "))")
        }
        guard let fixTime = TraccarTime.date(from: fixTimeText) else {
            throw DecodeError(description: "position \(id): fixTime \(fixTimeText) is not a Traccar time")
        }
        return (Fix(deviceId: deviceId, positionId: id, fixTime: fixTime, latitude: latitude, longitude: longitude,
                    speed: fields.speed, accuracy: fields.accuracy), uniqueId)
    }

    private static func scan(_ bytes: [UInt8]) throws(JSONScanner.Failure) -> Fields {
        var fields = Fields()
        var scanner = JSONScanner(bytes)
        try scanner.object { scanner, key throws(JSONScanner.Failure) in
            switch key {
            case "position":
                try scanner.object { scanner, key throws(JSONScanner.Failure) in
                    switch key {
                    case "id": fields.id = try scanner.integer()
                    case "deviceId": fields.deviceId = try scanner.integer()
                    case "fixTime": fields.fixTime = try scanner.string()
                    case "latitude": fields.latitude = try scanner.number()
                    case "longitude": fields.longitude = try scanner.number()
                    case "speed": fields.speed = try scanner.number()
                    case "accuracy": fields.accuracy = try scanner.number()
                    default: try scanner.skipValue()
                    }
                }
            case "device":
                try scanner.object { scanner, key throws(JSONScanner.Failure) in
                    if key == "uniqueId" { fields.uniqueId = try scanner.string() } else { try scanner.skipValue() }
                }
            default:
                try scanner.skipValue()
            }
        }
        try scanner.end()
        return fields
    }
}
