import Foundation
import Synchronization

/// Slows down password guessing: after three wrong logins from one address within 15 minutes, each further
/// refusal from it is answered later, 2, 4, 8… up to 30 seconds. A right login clears the address.
///
/// The delay is applied to the answer, not to the work: no thread sleeps, so a flood of guesses costs the
/// server no more than the queries it already makes.
final class LoginThrottle: Sendable {
    private static let window: TimeInterval = 15 * 60
    private let failures = Mutex<[String: [Date]]>([:])

    /// Records a refused login and returns how long to hold its answer.
    func failed(_ address: String, now: Date = Date()) -> TimeInterval {
        let count = failures.withLock { failures in
            if failures.count > 100_000 { failures.removeAll() }
            let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < Self.window } + [now]
            failures[address] = recent
            return recent.count
        }
        return count <= 3 ? 0 : min(pow(2, Double(count - 3)), 30)
    }

    func succeeded(_ address: String) {
        failures.withLock { $0[address] = nil }
    }

    /// The host part of `host:port` or `[v6]:port`: one client's connections share it.
    static func host(of remote: String) -> String {
        if remote.hasPrefix("["), let end = remote.firstIndex(of: "]") { return String(remote[...end]) }
        guard let colon = remote.lastIndex(of: ":") else { return remote }
        return String(remote[..<colon])
    }
}
