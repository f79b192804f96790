internal import CRdKafka
import Logging

/// Publishes keyed messages to Kafka and reports each message's fate to a closure.
///
/// Messages are copied into librdkafka's queue by `produce` and sent in batches by its threads. Exactly one
/// delivery report arrives per accepted message: success with its partition and offset, or failure (e.g.
/// `.messageTimedOut` once `message.timeout.ms` passes without a broker taking it). Reports run on the
/// producer's poll thread, or on the thread calling `flush`, one at a time per thread: keep the handler short.
///
/// The producer is idempotent by default (`enable.idempotence=true`, `acks=all`): retries never duplicate or
/// reorder a partition's messages.
public final class KafkaProducer: @unchecked Sendable {
    // @unchecked: the stored properties are immutable and librdkafka's producer calls are thread-safe.

    /// `(opaque, error, partition, offset)`: `opaque` is the value given to `produce`; `error` is nil on success,
    /// then `partition` and `offset` say where the message was stored (on failure they may be -1 and -1001).
    public typealias DeliveryHandler =
        @Sendable (_ opaque: UInt64, _ error: KafkaError?, _ partition: Int32, _ offset: Int64) -> Void

    /// Settings every producer gets unless `settings` in `init` overrides them.
    public static let defaultSettings: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "compression.codec": "lz4",
        "linger.ms": "5",
    ]

    private let client: OpaquePointer
    private let context: CallbackContext
    private let poller: KafkaPollThread
    private let logger: Logger

    /// Connects (in the background) to `brokers`, a comma-separated `host:port` list.
    /// - Parameters:
    ///   - settings: librdkafka producer settings over `defaultSettings`, e.g. `message.timeout.ms`.
    ///   - onDelivery: called once per message accepted by `produce`.
    /// - Throws: `KafkaError` naming the setting librdkafka refused.
    public init(
        brokers: String, settings: [String: String] = [:], logger: Logger = Logger(label: "itrack.kafka.producer"),
        onDelivery: @escaping DeliveryHandler
    ) throws(KafkaError) {
        let config = KafkaConfig(Self.defaultSettings).merging(["bootstrap.servers": brokers]).merging(settings)
        let context = CallbackContext(logger: logger, onDelivery: onDelivery)
        client = try KafkaClient.make(RD_KAFKA_PRODUCER, config: config, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
                guard let message, let context = CallbackContext.from(opaque) else { return }
                KafkaProducer.report(message.pointee, to: context)
            }
        }
        self.context = context
        self.logger = logger
        poller = KafkaPollThread(client: client, name: "itrack-kafka-poll")
    }

    deinit {
        poller.stop()
        // Give queued messages a moment; what is still undelivered is purged and reported as `.purged`.
        if rd_kafka_flush(client, 1000) != RD_KAFKA_RESP_ERR_NO_ERROR {
            let left = rd_kafka_outq_len(client)
            logger.warning("kafka producer closing with \(left) undelivered message(s); reporting them as purged")
            _ = rd_kafka_purge(client, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            rd_kafka_poll(client, 0)
        }
        rd_kafka_destroy(client)
    }

    /// Queues one message for `topic`; its delivery report carries `opaque`.
    ///
    /// Messages with the same key go to the same partition, in order. The bytes are copied, so the arrays may be
    /// reused at once.
    /// - Throws: `KafkaError` with `.queueFull` (`isQueueFull`) when librdkafka's queue is full: wait for delivery
    ///   reports (or `flush` briefly) and retry; other codes (unknown topic, message too large, `.fatal`) mean
    ///   the message will never be accepted as it is. No delivery report follows a thrown error.
    public func produce(topic: String, key: [UInt8]?, value: [UInt8], opaque: UInt64) throws(KafkaError) {
        let failure: OpaquePointer? = topic.withCString { topicName in
            value.withUnsafeBytes { valueBytes in
                withKeyBytes(key) { keyBytes in
                    var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 5)
                    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC
                    fields[0].u.cstr = topicName
                    fields[1].vtype = RD_KAFKA_VTYPE_VALUE
                    fields[1].u.mem.ptr = UnsafeMutableRawPointer(mutating: valueBytes.baseAddress)
                    fields[1].u.mem.size = valueBytes.count
                    fields[2].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    fields[2].u.i = RD_KAFKA_MSG_F_COPY
                    // The caller's UInt64 travels as the pointer's bit pattern: nothing is allocated or retained.
                    fields[3].vtype = RD_KAFKA_VTYPE_OPAQUE
                    fields[3].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(opaque))
                    var count = 4
                    if let keyBytes {
                        fields[4].vtype = RD_KAFKA_VTYPE_KEY
                        fields[4].u.mem.ptr = UnsafeMutableRawPointer(mutating: keyBytes.baseAddress)
                        fields[4].u.mem.size = keyBytes.count
                        count = 5
                    }
                    return rd_kafka_produceva(client, fields, count)
                }
            }
        }
        if let failure {
            throw KafkaError.consuming(failure, context: "produce to \(topic)")
        }
    }

    /// Waits until every queued message has its delivery report, serving reports on this thread meanwhile.
    /// Blocks the calling thread for up to `timeout`.
    /// - Throws: `KafkaError` `.timedOut` when messages are still outstanding at the deadline.
    public func flush(timeout: Duration) throws(KafkaError) {
        let result = rd_kafka_flush(client, KafkaClient.milliseconds(timeout))
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(result, context: "flush (\(outstanding) message(s) still outstanding)")
        }
    }

    /// Messages (and librdkafka requests) waiting for a delivery report.
    public var outstanding: Int {
        Int(rd_kafka_outq_len(client))
    }

    static func report(_ message: rd_kafka_message_t, to context: CallbackContext) {
        guard let onDelivery = context.onDelivery else { return }
        let opaque = UInt64(UInt(bitPattern: message._private))
        var error: KafkaError?
        if message.err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let topic = message.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
            error = KafkaError(message.err, context: "deliver to \(topic)")
        }
        onDelivery(opaque, error, message.partition, message.offset)
    }
}

/// Runs `body` with the key's bytes, or with nil for no key (a null key, not an empty one).
private func withKeyBytes<R>(_ key: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let key else { return body(nil) }
    return key.withUnsafeBytes { body($0) }
}
