import Foundation

/// A scripted pedestrian posted to the OsmAnd port as Traccar Client would: 10 minutes at a place (with GPS
/// jitter), 1,200 m north at 1.25 m/s through a geofence, then 8 minutes at the destination.
///
/// Known answers: two stays (the first closed, the second still open), each taking in the ~100 m of the walk
/// nearest to it (the stay radius), so one closed walking trip of about 1,000 m between them; and, for
/// `geofence`, one enter and one exit.
public enum PedestrianWalk {
    public static let origin = (latitude: 48.8566, longitude: 2.3522)
    public static let start = 1_795_000_000  // 2026-11-18 11:06:40 UTC
    /// A circle halfway along the walk, as Traccar's WKT (latitude first).
    public static let geofence = "CIRCLE (\(origin.latitude + 600 / metresPerDegree) \(origin.longitude), 100)"
    static let metresPerDegree = 111_320.0

    /// Seconds after `start` and metres north of `origin` of every fix.
    public static let fixes: [(second: Int, north: Double)] = {
        let firstStay = (0..<30).map { ($0 * 20, 5 * sin(Double($0))) }
        let walk = (1...96).map { (600 + $0 * 10, Double($0) * 12.5) }
        let secondStay = (1...24).map { (1560 + $0 * 20, 1200 + 5 * cos(Double($0))) }
        return firstStay + walk + secondStay
    }()

    /// Posts every fix of every device, walking side by side (fix by fix in turn, one keep-alive connection
    /// each, as phones report concurrently); throws unless each is answered 200.
    public static func post(port: UInt16, uniqueIds: [String]) throws {
        let clients = try uniqueIds.map { _ in try RawHTTPClient(port: port, timeout: 10) }
        for fix in fixes {
            let latitude = origin.latitude + fix.north / metresPerDegree
            for (uniqueId, client) in zip(uniqueIds, clients) {
                let request = "GET /?id=\(uniqueId)&lat=\(latitude)&lon=\(origin.longitude)"
                    + "&timestamp=\(start + fix.second) HTTP/1.1\r\nHost: test\r\n\r\n"
                guard let response = try client.exchange(request), response.status == 200 else {
                    throw ServerError(message: "fix at +\(fix.second) s of \(uniqueId) was not stored")
                }
            }
        }
    }
}
