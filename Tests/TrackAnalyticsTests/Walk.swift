import Foundation
import TrackAnalytics

/// One device's fixes, walking along a meridian: there the haversine distance is exactly the arc, so the
/// expected distances are plain arithmetic.
struct Walk {
    static let metresPerDegree = Haversine.earthRadius * .pi / 180
    /// 2026-03-02T08:00:00Z.
    static let morning = Date(timeIntervalSince1970: 1_772_438_400)

    let deviceId: Int
    let interval: TimeInterval
    let longitude: Double
    private let originLatitude: Double
    /// Metres north of the origin.
    private(set) var north = 0.0
    private(set) var time: Date
    private(set) var fixes: [Fix] = []

    init(deviceId: Int = 1, start: Date = Walk.morning, latitude: Double = 48.8566, longitude: Double = 2.3522,
         interval: TimeInterval = 10) {
        self.deviceId = deviceId
        self.interval = interval
        self.longitude = longitude
        originLatitude = latitude
        time = start
        emit()
    }

    func latitude(north metres: Double) -> Double { originLatitude + metres / Self.metresPerDegree }

    /// Stays put for `seconds`, one fix per interval.
    mutating func stop(for seconds: TimeInterval) {
        for _ in 0..<steps(seconds) {
            time += interval
            emit()
        }
    }

    /// Stays put for `seconds`, each fix up to `metres` off north and east, as GPS wanders indoors.
    mutating func stop(for seconds: TimeInterval, jitter metres: Double, using generator: inout SplitMix64) {
        let metresPerDegreeEast = Self.metresPerDegree * cos(latitude(north: north) * .pi / 180)
        for _ in 0..<steps(seconds) {
            time += interval
            let offsetNorth = Double.random(in: -metres...metres, using: &generator)
            let offsetEast = Double.random(in: -metres...metres, using: &generator)
            emit(latitude: latitude(north: north + offsetNorth),
                 longitude: longitude + offsetEast / metresPerDegreeEast)
        }
    }

    /// Heads north at `speed` metres per second for `seconds`.
    mutating func walk(speed: Double, for seconds: TimeInterval) {
        for _ in 0..<steps(seconds) {
            time += interval
            north += speed * interval
            emit()
        }
    }

    private func steps(_ seconds: TimeInterval) -> Int { Int((seconds / interval).rounded()) }

    private mutating func emit() { emit(latitude: latitude(north: north), longitude: longitude) }

    private mutating func emit(latitude: Double, longitude: Double) {
        fixes.append(Fix(deviceId: deviceId, positionId: Int64(deviceId * 1_000_000 + fixes.count), fixTime: time,
                         latitude: latitude, longitude: longitude))
    }
}

/// A seeded generator, so shuffles and jitter are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension DeviceTrack {
    /// A track fed `fixes` in the order given.
    static func fed(_ fixes: [Fix], settings: AnalyticsSettings = AnalyticsSettings()) -> DeviceTrack {
        var track = DeviceTrack(deviceId: fixes[0].deviceId, settings: settings)
        for fix in fixes { _ = track.add(fix) }
        return track
    }
}
