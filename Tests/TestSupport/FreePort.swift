import Foundation
import Synchronization

/// Loopback ports for servers started by tests, from a band of their own (30000–32767): below the kernel's usual
/// ephemeral range and above the fixed ports of the services `scripts/test` starts (PostgreSQL 254xx, S3 273xx,
/// Kafka 29xxx). Letting the kernel pick (bind to port 0) is not safe: on a machine whose ephemeral range starts
/// lower, it handed a test server a port of the Kafka broker's. `scripts/test` reserves the band as well when it
/// can, so outgoing connections never take one.
public enum FreePort {
    public static let band: ClosedRange<UInt16> = 30000...32767

    /// Each call moves on, so two tests in one run never get the same port; the start differs per run.
    private static let cursor = Atomic<Int>(Int.random(in: 0..<band.count))

    /// A port of the band that nothing was bound to a moment ago.
    public static func next() -> UInt16 {
        for _ in 0..<band.count {
            let offset = cursor.add(1, ordering: .relaxed).oldValue % band.count
            let port = band.lowerBound + UInt16(offset)
            if isFree(port) { return port }
        }
        fatalError("no free loopback port in \(band)")
    }

    private static func isFree(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        return LoopbackAddress.with(port: port) { bind(fd, $0, $1) } == 0
    }
}
