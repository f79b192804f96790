/// Why a geofence's area text was refused, as one sentence fit for an API reply or a log line.
public struct GeofenceAreaError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
