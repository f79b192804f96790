import Foundation
import Logging
import Synchronization
import TrackCore
import TrackKafka

/// Puts new events on the events topic, keyed by the device's unique id, and waits until the broker has
/// every one of them.
///
/// The worker commits its offsets only after `publish` returns, and a replayed batch finds its events
/// already in `tc_events` and does not return them again: so `publish` keeps sending until the broker
/// acknowledged all of them, or the worker is stopping.
final class EventPublisher {
    private let producer: KafkaProducer
    private let topic: String
    private let logger: Logger
    /// Indexes into the batch being published whose delivery failed; written by librdkafka's thread.
    private final class Failures: Sendable {
        let indexes = Mutex(Set<Int>())
    }

    private let failed = Failures()

    init(brokers: String, topic: String, logger: Logger) throws(KafkaError) {
        let failed = failed
        producer = try KafkaProducer(brokers: brokers, logger: logger) { opaque, error, _, _ in
            if error != nil { failed.indexes.withLock { _ = $0.insert(Int(opaque)) } }
        }
        self.topic = topic
        self.logger = logger
    }

    /// Sends `events` until all are acknowledged; false when `isStopping` became true first.
    func publish(_ events: [(event: StoredEvent, key: String)], isStopping: () -> Bool) -> Bool {
        var pending = Array(events.indices)
        var backoff = 0.1
        while !pending.isEmpty {
            failed.indexes.withLock { $0.removeAll() }
            for index in pending {
                let (event, key) = events[index]
                do {
                    try producer.produce(topic: topic, key: Array(key.utf8), value: Array(event.forwardedJSON.utf8),
                                         opaque: UInt64(index))
                } catch {
                    failed.indexes.withLock { _ = $0.insert(index) }
                }
            }
            // Every message ends in a delivery report, success or failure, within the producer's message timeout.
            while producer.outstanding > 0 && !isStopping() { try? producer.flush(timeout: .seconds(1)) }
            pending = failed.indexes.withLock { $0.sorted() }
            if pending.isEmpty || isStopping() { break }
            logger.warning("events not acknowledged by Kafka; sending again",
                           metadata: ["events": "\(pending.count)", "topic": "\(topic)"])
            Thread.sleep(forTimeInterval: backoff)
            backoff = min(backoff * 2, 5)
        }
        return pending.isEmpty
    }
}
