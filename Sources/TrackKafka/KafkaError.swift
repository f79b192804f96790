internal import CRdKafka

/// A librdkafka failure: its code, librdkafka's own message, and what itrack was doing.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka's error code (`rd_kafka_resp_err_t`): negative codes arise in the client, positive ones are
    /// the broker's Kafka protocol errors.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ error: rd_kafka_resp_err_t) {
            rawValue = error.rawValue
        }

        /// The producer's local queue is full (`queue.buffering.max.messages` / `.kbytes`): poll, wait, retry.
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        /// A message was not delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// A blocking call (flush, commit) ran out of time.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// A bad setting or argument; the message names it.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// The client hit a fatal error (e.g. the idempotent producer lost its guarantees) and must be replaced.
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        /// Messages still queued when the producer was destroyed.
        public static let purged = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
        /// No broker connection is up.
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        /// The topic or partition does not exist (broker error 3).
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// The group moved on without this member (it was too slow or left): its commit was refused.
        public static let illegalGeneration = Code(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
        /// The group is rebalancing: the commit was refused; the new owner of the partition re-reads from the last
        /// committed offset.
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)

        /// librdkafka's symbolic name, e.g. `_QUEUE_FULL` or `UNKNOWN_TOPIC_OR_PART`.
        public var name: String {
            String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue)))
        }

        public var description: String { name }
    }

    public let code: Code
    /// librdkafka's message (`rd_kafka_err2str`, or the `errstr` of the failed call).
    public let message: String
    /// What itrack was doing, e.g. "produce to itrack.positions".
    public let context: String

    public init(code: Code, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// An error with librdkafka's standard message for `error`.
    init(_ error: rd_kafka_resp_err_t, context: String) {
        self.init(code: Code(error), message: String(cString: rd_kafka_err2str(error)), context: context)
    }

    /// Reads and destroys an `rd_kafka_error_t` (the error object some newer calls return).
    static func consuming(_ error: OpaquePointer, context: String) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let message = rd_kafka_error_string(error).map { String(cString: $0) } ?? ""
        return KafkaError(code: Code(rd_kafka_error_code(error)), message: message, context: context)
    }

    /// True when the producer's local queue is full: back off (the queue drains as deliveries complete) and retry.
    public var isQueueFull: Bool { code == .queueFull }

    public var description: String {
        "\(context): \(message) (\(code.name))"
    }
}
