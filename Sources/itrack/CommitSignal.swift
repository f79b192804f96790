import Foundation

/// Wakes a thread that follows `tc_positions` when writers commit, and tells it to stop: shared by the Kafka
/// publisher and the in-process analytics, which both sleep between rounds until there is something new.
final class CommitSignal: @unchecked Sendable {
    // @unchecked: both flags are guarded by `condition`.
    private let condition = NSCondition()
    private var stopping = false
    /// Set when a writer committed since the last wait.
    private var committed = false

    /// Called after each commit so new rows are handled at once instead of at the next idle check.
    func notifyCommitted() {
        condition.lock()
        committed = true
        condition.signal()
        condition.unlock()
    }

    func requestStop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// Sleeps until a stop or `seconds` passed, whatever commits meanwhile.
    func pause(seconds: Double) {
        guard seconds > 0 else { return }
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !stopping && condition.wait(until: deadline) {}
    }

    /// Sleeps until a commit, a stop, or `seconds` passed.
    func wait(seconds: Double) {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: seconds)
        while !committed && !stopping && condition.wait(until: deadline) {}
        committed = false
    }
}
