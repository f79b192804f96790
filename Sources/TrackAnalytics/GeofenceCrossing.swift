import Foundation

/// A device entering or leaving a geofence, dated by the fix that first showed it.
public struct GeofenceCrossing: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case enter
        case exit

        /// Traccar's event type, so clients written for Traccar recognise the event.
        public var eventType: String {
            switch self {
            case .enter: "geofenceEnter"
            case .exit: "geofenceExit"
            }
        }
    }

    public let kind: Kind
    public let deviceId: Int
    public let geofenceId: Int
    public let positionId: Int64
    public let fixTime: Date
}
