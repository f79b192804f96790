internal import CRdKafka

/// librdkafka settings under librdkafka's own names (`bootstrap.servers`, `linger.ms`, …).
///
/// Nothing is checked until a client is made (or `validate()` runs); then every key goes through
/// `rd_kafka_conf_set` in sorted order, and the first one librdkafka refuses throws a `KafkaError` that names it.
public struct KafkaConfig: Sendable, Equatable {
    public var settings: [String: String]

    public init(_ settings: [String: String] = [:]) {
        self.settings = settings
    }

    public subscript(key: String) -> String? {
        get { settings[key] }
        set { settings[key] = newValue }
    }

    /// These settings with `overrides` on top (an override wins over a value already here).
    public func merging(_ overrides: [String: String]) -> KafkaConfig {
        KafkaConfig(settings.merging(overrides) { _, override in override })
    }

    /// Checks every setting with librdkafka without making a client.
    public func validate() throws(KafkaError) {
        rd_kafka_conf_destroy(try makeConf())
    }

    /// A new `rd_kafka_conf_t` holding every setting. The caller owns it: `rd_kafka_new` takes it on success
    /// only, so on any other path the caller destroys it.
    func makeConf() throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .invalidArgument, message: "rd_kafka_conf_new returned NULL", context: "config")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for key in settings.keys.sorted() {
            let value = settings[key] ?? ""
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let message = errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                throw KafkaError(code: .invalidArgument, message: message, context: "config key \(key)")
            }
        }
        return conf
    }
}
