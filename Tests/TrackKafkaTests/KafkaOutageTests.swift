import Foundation
import TestSupport
import Testing
import TrackKafka

@Suite struct KafkaOutageTests {
    @Test func messagesProducedWhileTheBrokerIsDownAreDeliveredWhenItReturns() async throws {
        let broker = try KafkaBroker.Private(name: "test-kafka-producer-outage", port: 29192)
        defer { try? broker.stop() }
        let topic = KafkaBroker.uniqueTopic("outage")

        let (duringOutage, reports) = try await offThread { () throws -> (Int, [DeliveryLog.Report]) in
            let log = DeliveryLog()
            let producer = try KafkaProducer(
                brokers: broker.bootstrap,
                settings: ["message.timeout.ms": "20000", "reconnect.backoff.max.ms": "300"],
                logger: quietLogger(), onDelivery: log.handler)
            for index in 0..<10 {
                try producer.produce(topic: topic, key: nil, value: "before \(index)".bytes, opaque: UInt64(index))
            }
            try producer.flush(timeout: .seconds(10))

            try broker.down()
            for index in 10..<20 {
                try producer.produce(topic: topic, key: nil, value: "during \(index)".bytes, opaque: UInt64(index))
            }
            Thread.sleep(forTimeInterval: 1.5)
            let duringOutage = log.all.count
            try broker.up()
            try producer.flush(timeout: .seconds(15))
            return (duringOutage, log.all)
        }

        #expect(duringOutage == 10)
        #expect(reports.count == 20)
        #expect(reports.allSatisfy { $0.error == nil }, "\(reports.compactMap(\.error))")
        #expect(Set(reports.map(\.opaque)) == Set(0..<20))
    }
}
