internal import CRdKafka
import Logging
import Synchronization

/// What librdkafka's callbacks reach through a client's opaque pointer.
///
/// The client object that owns the `rd_kafka_t` also holds this and destroys the `rd_kafka_t` (after which no
/// callback runs) before releasing it, so the pointer handed to librdkafka is never retained and never dangles.
final class CallbackContext: Sendable {
    let logger: Logger
    let onDelivery: KafkaProducer.DeliveryHandler?
    /// Rebalances a consumer has gone through.
    let rebalances = Atomic(0)

    init(logger: Logger, onDelivery: KafkaProducer.DeliveryHandler? = nil) {
        self.logger = logger
        self.onDelivery = onDelivery
    }

    var pointer: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> CallbackContext? {
        opaque.map { Unmanaged<CallbackContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

/// Makes `rd_kafka_t` handles: the conf from a `KafkaConfig`, the callbacks every client has (librdkafka's log
/// lines and errors go to the client's `Logger`), then `rd_kafka_new`.
enum KafkaClient {
    /// A new client; `configure` adds the type's own callbacks to the conf before the client is made.
    static func make(
        _ type: rd_kafka_type_t, config: KafkaConfig, context: CallbackContext,
        configure: (OpaquePointer) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        let conf = try config.makeConf()
        rd_kafka_conf_set_opaque(conf, context.pointer)
        // librdkafka logs from its own threads; the log callback has no opaque argument, the client has.
        rd_kafka_conf_set_log_cb(conf) { client, level, facility, line in
            guard let client, let context = CallbackContext.from(rd_kafka_opaque(client)) else { return }
            let text = line.map { String(cString: $0) } ?? ""
            let source = facility.map { String(cString: $0) } ?? ""
            context.logger.log(
                level: KafkaClient.logLevel(syslog: level), "\(text)", metadata: ["rdkafka": "\(source)"])
        }
        rd_kafka_conf_set_error_cb(conf) { client, code, reason, opaque in
            guard let context = CallbackContext.from(opaque) else { return }
            let text = reason.map { String(cString: $0) } ?? ""
            let error = rd_kafka_resp_err_t(rawValue: code)
            if error == RD_KAFKA_RESP_ERR__FATAL, let client {
                var detail = [CChar](repeating: 0, count: 512)
                let original = rd_kafka_fatal_error(client, &detail, detail.count)
                let message = detail.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                context.logger.critical(
                    "kafka client failed for good: \(message) (\(String(cString: rd_kafka_err2name(original))))")
            } else {
                context.logger.warning("kafka: \(text) (\(String(cString: rd_kafka_err2name(error))))")
            }
        }
        configure(conf)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let client = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new takes the conf only when it succeeds
            let message = errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KafkaError(code: .invalidArgument, message: message, context: "create Kafka client")
        }
        return client
    }

    /// swift-log's level for a syslog level (librdkafka logs with 0 = emergency … 7 = debug).
    static func logLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }

    /// Whole milliseconds in `duration`, clamped to what librdkafka's `int` timeouts take.
    static func milliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        if millis.overflow { return seconds < 0 ? 0 : Int32.max }
        return Int32(clamping: max(0, millis.partialValue + attoseconds / 1_000_000_000_000_000))
    }
}
