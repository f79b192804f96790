import Foundation
import TestSupport
import Testing
import TrackKafka

@Suite struct KafkaProducerTests {
    @Test func everyMessageGetsOneSuccessfulDeliveryReportAtADistinctOffset() async throws {
        let brokers = try KafkaBroker.brokers()
        let topic = KafkaBroker.uniqueTopic("delivery")
        let reports = try await offThread {
            let log = DeliveryLog()
            let producer = try KafkaProducer(brokers: brokers, onDelivery: log.handler)
            for index in 0..<1000 {
                try producer.produce(
                    topic: topic, key: "device-\(index % 50)".bytes, value: "position \(index)".bytes,
                    opaque: UInt64(index))
            }
            try producer.flush(timeout: .seconds(10))
            return log.all
        }

        #expect(reports.count == 1000)
        #expect(reports.compactMap(\.error).isEmpty, "\(reports.compactMap(\.error).prefix(3))")
        #expect(Set(reports.map(\.opaque)) == Set(0..<1000))
        let places = Set(reports.map { "\($0.partition)@\($0.offset)" })
        #expect(places.count == 1000)
        #expect(reports.allSatisfy { $0.partition >= 0 && $0.offset >= 0 })
        // One key, one partition: a device's positions stay in order.
        let partitionsByKey = Dictionary(grouping: reports) { $0.opaque % 50 }.mapValues { Set($0.map(\.partition)) }
        #expect(partitionsByKey.values.allSatisfy { $0.count == 1 })
        #expect(Set(reports.map(\.partition)).count > 1)
    }

    @Test func unreachableBrokersFailThroughDeliveryReportsAfterTheMessageTimeout() async throws {
        // Nothing listens on a port that was free a moment ago: every connection attempt is refused.
        let brokers = "127.0.0.1:\(FreePort.next())"
        let started = ContinuousClock.now
        let reports = try await offThread {
            let log = DeliveryLog()
            let producer = try KafkaProducer(
                brokers: brokers, settings: ["message.timeout.ms": "1000"], logger: quietLogger(),
                onDelivery: log.handler)
            for index in 0..<10 {
                try producer.produce(
                    topic: "itrack.positions", key: nil, value: "p\(index)".bytes, opaque: UInt64(index))
            }
            return log.wait(for: 10, timeout: .seconds(10))
        }
        let elapsed = ContinuousClock.now - started

        #expect(reports.count == 10)
        #expect(reports.allSatisfy { $0.error?.code == .messageTimedOut }, "\(reports.map { "\($0.error as Any)" })")
        #expect(Set(reports.map(\.opaque)) == Set(0..<10))
        // Only a lower bound: they fail by the timeout, not at once; how late under load is not this test's business.
        #expect(elapsed >= .milliseconds(900), "took \(elapsed)")
    }

    @Test func aFullQueueIsItsOwnErrorAndQueuedMessagesArePurgedOnClose() async throws {
        let brokers = "127.0.0.1:\(FreePort.next())"
        let (thrown, reports) = try await offThread { () throws -> ([KafkaError], [DeliveryLog.Report]) in
            let log = DeliveryLog()
            var thrown: [KafkaError] = []
            do {
                let producer = try KafkaProducer(
                    brokers: brokers, settings: ["queue.buffering.max.messages": "5", "message.timeout.ms": "60000"],
                    logger: quietLogger(), onDelivery: log.handler)
                for index in 0..<7 {
                    do {
                        try producer.produce(topic: "itrack.events", key: nil, value: [1, 2, 3], opaque: UInt64(index))
                    } catch let error as KafkaError {
                        thrown.append(error)
                    }
                }
            }  // the producer is released here: undelivered messages are purged and reported
            return (thrown, log.all)
        }

        #expect(thrown.count == 2)
        #expect(thrown.allSatisfy { $0.isQueueFull }, "\(thrown)")
        #expect(thrown.first?.description.contains("produce to itrack.events") == true)
        #expect(reports.count == 5)
        #expect(reports.allSatisfy { $0.error?.code == .purged }, "\(reports.map { "\($0.error as Any)" })")
    }

    @Test func aSettingLibrdkafkaRefusesIsNamedInTheError() throws {
        let unknown = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(brokers: "127.0.0.1:1", settings: ["no.such.setting": "1"]) { _, _, _, _ in }
        }
        #expect(unknown?.code == .invalidArgument)
        #expect(unknown?.description.contains("no.such.setting") == true, "\(unknown as Any)")

        let badValue = #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(
                brokers: "127.0.0.1:1", groupId: "g", topics: ["t"], settings: ["session.timeout.ms": "soon"])
        }
        #expect(badValue?.context == "config key session.timeout.ms", "\(badValue as Any)")

        // Settings that are valid one by one but not together fail in rd_kafka_new, with its message.
        let conflict = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(brokers: "127.0.0.1:1", settings: ["acks": "1"]) { _, _, _, _ in }
        }
        #expect(conflict?.message.contains("acks") == true, "\(conflict as Any)")

        #expect(throws: Never.self) { try KafkaConfig(["linger.ms": "20"]).validate() }
    }
}
