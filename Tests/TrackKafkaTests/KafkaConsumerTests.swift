import Foundation
import TestSupport
import Testing
import TrackKafka

@Suite struct KafkaConsumerTests {
    @Test func aGroupReadsBackEveryMessageAndAfterACommitANewMemberGetsOnlyNewOnes() async throws {
        let brokers = try KafkaBroker.brokers()
        let topic = KafkaBroker.uniqueTopic("readback")
        let group = KafkaBroker.uniqueGroup("readback")
        let count = 1000

        try await offThread {
            let log = DeliveryLog()
            let producer = try KafkaProducer(brokers: brokers, onDelivery: log.handler)
            for index in 0..<count {
                try producer.produce(
                    topic: topic, key: "device-\(index % 40)".bytes, value: "position \(index)".bytes,
                    opaque: UInt64(index))
            }
            try producer.flush(timeout: .seconds(10))
            let stored = Dictionary(uniqueKeysWithValues: log.all.map { ("\($0.partition)@\($0.offset)", $0.opaque) })
            #expect(stored.count == count)

            // First member: everything, each message where its delivery report said, with its key and value.
            let first = try KafkaConsumer(brokers: brokers, groupId: group, topics: [topic], settings: fastGroup)
            let read = try consume([first], timeout: .seconds(20)) { $0[0].count >= count }[0]
            #expect(read.count == count)
            for message in read {
                let index = try #require(stored["\(message.partition)@\(message.offset)"])
                #expect(message.topic == topic)
                #expect(message.key?.text == "device-\(index % 40)")
                #expect(message.value.text == "position \(index)")
                #expect(message.timestamp.map { abs($0 - Int64(Date().timeIntervalSince1970 * 1000)) < 60_000 } == true)
            }

            // Commit the last message of each partition + 1, then leave the group.
            let last = Dictionary(grouping: read, by: \.partition).compactMap { $0.value.max { $0.offset < $1.offset } }
            try first.commit(offsets: last.map(\.commitOffset))
            try first.close()

            // A new member resumes from the commits: the one message produced afterwards is all it sees.
            try producer.produce(topic: topic, key: "device-1".bytes, value: "after the commit".bytes, opaque: 9999)
            try producer.flush(timeout: .seconds(10))
            let second = try KafkaConsumer(brokers: brokers, groupId: group, topics: [topic], settings: fastGroup)
            let later = try consume([second], timeout: .seconds(20)) { received in
                received[0].contains { $0.value.text == "after the commit" }
            }[0]
            #expect(later.map(\.value.text) == ["after the commit"])
            try second.close()
        }
    }

    @Test func twoMembersSplitTheSixPartitionsAndTogetherReadEachMessageOnce() async throws {
        let brokers = try KafkaBroker.brokers()
        let topic = "itrack.positions"  // pre-created by scripts/test with 6 partitions; shared, so we mark ours
        let group = KafkaBroker.uniqueGroup("split")
        let run = UUID().uuidString
        let count = 600

        try await offThread {
            let members = try (0..<2).map { _ in
                try KafkaConsumer(brokers: brokers, groupId: group, topics: [topic], settings: fastGroup)
            }
            // Wait for the group to settle: both members assigned, partitions disjoint and all six covered.
            var assignments: [[KafkaPartition]] = []
            var early = try consume(members, timeout: .seconds(20)) { _ in
                assignments = try members.map { try $0.assignment() }
                let all = assignments.joined()
                return assignments.allSatisfy { !$0.isEmpty } && all.count == 6 && Set(all).count == 6
            }
            try #require(assignments.allSatisfy { !$0.isEmpty }, "assignments: \(assignments)")
            #expect(Set(assignments.joined().map(\.partition)) == Set(0..<6))

            let producer = try KafkaProducer(brokers: brokers) { _, _, _, _ in }
            for index in 0..<count {
                try producer.produce(
                    topic: topic, key: "\(run)-device-\(index % 60)".bytes, value: "\(run) \(index)".bytes,
                    opaque: UInt64(index))
            }
            try producer.flush(timeout: .seconds(10))

            func ours(_ messages: [KafkaMessage]) -> [KafkaMessage] {
                messages.filter { $0.value.text.hasPrefix(run) }
            }
            let rest = try consume(members, timeout: .seconds(20)) { received in
                zip(early, received).map { ours($0 + $1).count }.reduce(0, +) >= count
            }
            // Anything read twice would show up here: give it a moment.
            let extra = try consume(members, timeout: .milliseconds(300)) { _ in false }
            early = (0..<2).map { ours(early[$0] + rest[$0] + extra[$0]) }

            #expect(early.allSatisfy { !$0.isEmpty }, "per member: \(early.map(\.count))")
            let values = early.joined().map(\.value.text)
            #expect(values.count == count)
            #expect(Set(values) == Set((0..<count).map { "\(run) \($0)" }))
            for (member, messages) in early.enumerated() {
                let partitions = Set(assignments[member].map(\.partition))
                #expect(messages.allSatisfy { partitions.contains($0.partition) })
            }
            for member in members { try member.close() }
        }
    }
}
