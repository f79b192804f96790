internal import CRdKafka
import Logging
import Synchronization

/// A member of a Kafka consumer group: reads the partitions the group gives it, commits what it processed.
///
/// Start several with the same `groupId` and Kafka splits the topics' partitions between them; when one leaves
/// or dies its partitions move to the others, which resume from the last committed offsets. Offsets are only
/// committed by `commit(offsets:)` (auto-commit is off), so a message counts as processed only once its results
/// are safe. Partition assignment on rebalance is done in librdkafka's rebalance callback (eager or cooperative,
/// whichever `partition.assignment.strategy` picks) and logged.
///
/// All calls block the calling thread (poll up to its timeout, commit and close for a broker round trip): drive a
/// consumer from a thread of its own, not from Swift concurrency's cooperative pool.
public final class KafkaConsumer: @unchecked Sendable {
    // @unchecked: librdkafka's consumer calls are thread-safe; `closed` is guarded by its mutex.

    /// Settings every consumer gets unless `settings` in `init` overrides them. A short session timeout lets
    /// the group notice a dead member quickly (6 s is the smallest a real broker accepts by default); heartbeats
    /// run on librdkafka's thread, so slow processing does not end the session (`max.poll.interval.ms` does).
    /// A member whose subscribed topic does not exist yet (workers started before `serve`'s first publish creates
    /// it) stays out of the group until its next metadata refresh: 5 minutes by default, 5 s here.
    public static let defaultSettings: [String: String] = [
        "enable.auto.commit": "false",
        "auto.offset.reset": "earliest",
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "1000",
        "topic.metadata.refresh.interval.ms": "5000",
    ]

    private let client: OpaquePointer
    private let context: CallbackContext
    private let closed = Mutex(false)

    /// Joins group `groupId` (in the background: the first `poll` calls receive the assignment) and subscribes
    /// to `topics`.
    /// - Parameters:
    ///   - brokers: comma-separated `host:port` list.
    ///   - settings: librdkafka consumer settings over `defaultSettings`, e.g. `session.timeout.ms`.
    /// - Throws: `KafkaError` naming a setting librdkafka refused, or the subscription's failure.
    public init(
        brokers: String, groupId: String, topics: [String], settings: [String: String] = [:],
        logger: Logger = Logger(label: "itrack.kafka.consumer")
    ) throws(KafkaError) {
        let config = KafkaConfig(Self.defaultSettings)
            .merging(["bootstrap.servers": brokers, "group.id": groupId])
            .merging(settings)
        let context = CallbackContext(logger: logger)
        let client = try KafkaClient.make(RD_KAFKA_CONSUMER, config: config, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf) { client, event, partitions, opaque in
                guard let client else { return }
                KafkaConsumer.rebalance(
                    client, event: event, partitions: partitions, context: CallbackContext.from(opaque))
            }
        }
        // Errors and logs queued for the application are then served by rd_kafka_consumer_poll too.
        let forwarded = rd_kafka_poll_set_consumer(client)
        let failure =
            forwarded == RD_KAFKA_RESP_ERR_NO_ERROR
            ? Self.subscribe(client, to: topics) : KafkaError(forwarded, context: "forward the consumer's queue")
        if let error = failure {
            rd_kafka_destroy(client)
            throw error
        }
        self.client = client
        self.context = context
    }

    deinit {
        try? close()
        rd_kafka_destroy(client)
    }

    /// The next message, or nil when none arrived within `timeout`. Also runs rebalances.
    /// - Throws: `KafkaError` for a consumer error, e.g. a subscribed topic that does not exist. The consumer
    ///   stays usable and later calls continue, unless the code is `.fatal`.
    public func poll(timeout: Duration) throws(KafkaError) -> KafkaMessage? {
        guard let message = rd_kafka_consumer_poll(client, KafkaClient.milliseconds(timeout)) else { return nil }
        defer { rd_kafka_message_destroy(message) }
        let fields = message.pointee
        let topic = fields.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        if fields.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return nil }
        if fields.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
            let place = topic.isEmpty ? "consumer poll" : "consume \(topic)[\(fields.partition)]"
            throw KafkaError(code: KafkaError.Code(fields.err), message: text, context: place)
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return KafkaMessage(
            topic: topic, partition: fields.partition, offset: fields.offset,
            key: Self.bytes(fields.key, fields.key_len),
            value: Self.bytes(fields.payload, fields.len) ?? [],
            timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp)
    }

    /// Commits `offsets` for the group and waits for the broker's answer.
    ///
    /// Each offset is the next message to read: the offset of the last processed message + 1 (see
    /// `KafkaMessage.commitOffset`). Commit only partitions this consumer is assigned.
    /// - Throws: `KafkaError` when the broker refused any of them (e.g. `.rebalanceInProgress` or
    ///   `.illegalGeneration` after the partition moved to another member, which then re-reads from the last
    ///   committed offset).
    public func commit(offsets: [KafkaOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count)) else {
            throw KafkaError(code: .invalidArgument, message: "out of memory", context: "commit")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for offset in offsets {
            rd_kafka_topic_partition_list_add(list, offset.topic, offset.partition).pointee.offset = offset.offset
        }
        let result = rd_kafka_commit(client, list, 0)  // 0: synchronous
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(result, context: "commit \(offsets.count) offset(s)")
        }
        for index in 0..<Int(list.pointee.cnt) {
            let entry = list.pointee.elems[index]
            if entry.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let place = "commit \(String(cString: entry.topic))[\(entry.partition)]@\(entry.offset)"
                throw KafkaError(entry.err, context: place)
            }
        }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaPartition] {
        try withAssignment { Self.partitions($0).sorted() }
    }

    /// How many times partitions were assigned or revoked so far: when it changes, the partitions this
    /// consumer reads may have been read by another member in between.
    public var rebalanceCount: Int { context.rebalances.load(ordering: .relaxed) }

    /// Messages after this consumer's position in its partitions, from the high watermarks librdkafka last
    /// fetched (no broker round trip); partitions not fetched yet count 0.
    public func lag() throws(KafkaError) -> Int64 {
        try withAssignment { list in
            rd_kafka_position(client, list)
            var total: Int64 = 0
            for index in 0..<Int(list.pointee.cnt) {
                let entry = list.pointee.elems[index]
                var low: Int64 = 0
                var high: Int64 = 0
                guard entry.offset >= 0,
                      rd_kafka_get_watermark_offsets(client, entry.topic, entry.partition, &low, &high)
                        == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0
                else { continue }
                total += max(0, high - entry.offset)
            }
            return total
        }
    }

    /// Leaves the group (LeaveGroup), so its partitions move to the other members at once rather than after
    /// `session.timeout.ms`. Nothing is committed. Later calls do nothing; `deinit` closes too.
    public func close() throws(KafkaError) {
        let wasClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        if wasClosed { return }
        let result = rd_kafka_consumer_close(client)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(result, context: "close consumer")
        }
    }

    /// Runs `body` on the current assignment, a list librdkafka allocates and this frees.
    private func withAssignment<T>(_ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> T)
        throws(KafkaError) -> T
    {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let result = rd_kafka_assignment(client, &list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError(result, context: "read assignment")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return body(list)
    }

    private static func subscribe(_ client: OpaquePointer, to topics: [String]) -> KafkaError? {
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: topics.count)) else {
            return KafkaError(code: .invalidArgument, message: "out of memory", context: "subscribe")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let result = rd_kafka_subscribe(client, list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            return KafkaError(result, context: "subscribe to \(topics.joined(separator: ", "))")
        }
        return nil
    }

    /// Takes or gives up partitions as the group coordinator decided; runs inside `poll` and `close`.
    private static func rebalance(
        _ client: OpaquePointer, event: rd_kafka_resp_err_t,
        partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, context: CallbackContext?
    ) {
        let cooperative = rd_kafka_rebalance_protocol(client).map { String(cString: $0) } == "COOPERATIVE"
        let names = partitions.map { Self.partitions($0).sorted().map(\.description).joined(separator: ", ") } ?? ""
        var failure: KafkaError?
        context?.rebalances.add(1, ordering: .relaxed)
        switch event {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            context?.logger.info("kafka group assigned: \(names)")
            if cooperative {
                failure = rd_kafka_incremental_assign(client, partitions).map {
                    KafkaError.consuming($0, context: "assign partitions")
                }
            } else {
                let result = rd_kafka_assign(client, partitions)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { failure = KafkaError(result, context: "assign partitions") }
            }
        default:
            // REVOKE_PARTITIONS, or an error: give up what the event names (all of it when eager).
            let lost = rd_kafka_assignment_lost(client) != 0 ? " (lost)" : ""
            context?.logger.info("kafka group revoked\(lost): \(names)")
            if cooperative {
                failure = rd_kafka_incremental_unassign(client, partitions).map {
                    KafkaError.consuming($0, context: "unassign partitions")
                }
            } else {
                let result = rd_kafka_assign(client, nil)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { failure = KafkaError(result, context: "unassign partitions") }
            }
        }
        if let failure {
            context?.logger.error("kafka rebalance: \(failure)")
        }
    }

    private static func partitions(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [KafkaPartition] {
        (0..<Int(list.pointee.cnt)).map { index in
            let entry = list.pointee.elems[index]
            return KafkaPartition(topic: String(cString: entry.topic), partition: entry.partition)
        }
    }

    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
