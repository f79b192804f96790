import Foundation
import TrackCore

/// Reads the messages itrack's publisher puts on the positions topic (`{"position":…,"device":…}`, Traccar's
/// forwarder shape) back into fixes, taking only the fields the analytics use.
public enum PositionMessage {
    public struct DecodeError: Error, CustomStringConvertible {
        public let description: String
    }

    private struct Message: Decodable {
        struct Position: Decodable {
            let id: Int64
            let deviceId: Int
            let fixTime: String
            let latitude: Double
            let longitude: Double
            let speed: Double?
            let accuracy: Double?
        }

        struct Device: Decodable {
            let uniqueId: String
        }

        let position: Position
        let device: Device
    }

    /// The fix and the device's unique id (the events topic's key).
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> (fix: Fix, uniqueId: String) {
        let message: Message
        do {
            message = try JSONDecoder().decode(Message.self, from: Data(bytes))
        } catch {
            throw DecodeError(description: "not a position message: \(error)")
        }
        let position = message.position
        guard let fixTime = TraccarTime.date(from: position.fixTime) else {
            throw DecodeError(description: "position \(position.id): fixTime \(position.fixTime) is not a Traccar time")
        }
        return (Fix(deviceId: position.deviceId, positionId: position.id, fixTime: fixTime,
                    latitude: position.latitude, longitude: position.longitude, speed: position.speed ?? 0,
                    accuracy: position.accuracy ?? 0), message.device.uniqueId)
    }
}
