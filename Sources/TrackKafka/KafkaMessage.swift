/// One message read by a `KafkaConsumer`.
public struct KafkaMessage: Sendable, Equatable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    /// nil when the message was produced without a key.
    public let key: [UInt8]?
    public let value: [UInt8]
    /// Milliseconds since 1970 (the producer's create time, or the broker's log-append time), when known.
    public let timestamp: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], timestamp: Int64?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }

    /// What to commit once this message is processed: Kafka's committed offset is the next one to read.
    public var commitOffset: KafkaOffset {
        KafkaOffset(topic: topic, partition: partition, offset: offset + 1)
    }
}

/// A position in one partition of a topic.
public struct KafkaOffset: Sendable, Hashable, CustomStringConvertible {
    public let topic: String
    public let partition: Int32
    /// For a commit: the offset of the next message to read, i.e. the last processed offset + 1.
    public let offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var description: String { "\(topic)[\(partition)]@\(offset)" }
}

/// One partition of a topic, as assigned to a consumer.
public struct KafkaPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let topic: String
    public let partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: KafkaPartition, rhs: KafkaPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}
