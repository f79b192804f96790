import Foundation
import Logging
import Synchronization
import TrackKafka

/// Runs blocking Kafka calls on a thread of their own, so a test waiting on the network does not hold one of
/// Swift concurrency's few cooperative threads while the other tests run.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.name = "kafka-test"
        thread.start()
    }
}

/// Collects a producer's delivery reports.
final class DeliveryLog: Sendable {
    struct Report: Sendable {
        let opaque: UInt64
        let error: KafkaError?
        let partition: Int32
        let offset: Int64
    }

    private let reports = Mutex<[Report]>([])

    var handler: KafkaProducer.DeliveryHandler {
        { [self] opaque, error, partition, offset in
            reports.withLock { $0.append(Report(opaque: opaque, error: error, partition: partition, offset: offset)) }
        }
    }

    var all: [Report] { reports.withLock { $0 } }

    /// Waits until `count` reports arrived or `timeout` passed; returns the reports.
    func wait(for count: Int, timeout: Duration) -> [Report] {
        let deadline = ContinuousClock.now + timeout
        while all.count < count, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return all
    }
}

/// Polls `consumers` in turn (so each serves its rebalances) until `done` says so or `timeout` passes.
/// Returns each consumer's messages.
func consume(
    _ consumers: [KafkaConsumer], timeout: Duration, until done: ([[KafkaMessage]]) throws -> Bool
) throws -> [[KafkaMessage]] {
    var received = [[KafkaMessage]](repeating: [], count: consumers.count)
    let deadline = ContinuousClock.now + timeout
    while try !done(received), ContinuousClock.now < deadline {
        for (index, consumer) in consumers.enumerated() {
            if let message = try consumer.poll(timeout: .milliseconds(consumers.count == 1 ? 100 : 20)) {
                received[index].append(message)
            }
        }
    }
    return received
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// Consumer settings for tests: the group notices joins and leaves within about a second.
let fastGroup = ["session.timeout.ms": "3000", "heartbeat.interval.ms": "300"]

/// A logger for tests that expect librdkafka to complain (connection refused, every second).
func quietLogger() -> Logger {
    var logger = Logger(label: "itrack.kafka.test")
    logger.logLevel = .critical
    return logger
}
