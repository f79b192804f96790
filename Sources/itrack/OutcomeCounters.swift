import Metrics
import Synchronization

/// `itrack_positions_total` counters by outcome and reason, each created once: building a counter
/// goes through the metrics factory's registry, which is too slow to do per request.
final class OutcomeCounters: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func count(protocolName: String, outcome: String, reason: String) {
        counter(protocolName: protocolName, outcome: outcome, reason: reason).increment()
    }

    /// The counter for one outcome and reason, made on first use.
    func counter(protocolName: String, outcome: String, reason: String) -> Counter {
        let key = outcome + "/" + reason
        return counters.withLock { known in
            if let counter = known[key] { return counter }
            let counter = Counter(label: "itrack_positions_total",
                                  dimensions: [("protocol", protocolName), ("outcome", outcome), ("reason", reason)])
            known[key] = counter
            return counter
        }
    }
}
