import Foundation

/// The Kafka broker that `scripts/test` starts (`scripts/kafka`: librdkafka's mock cluster on 127.0.0.1:29092…),
/// with topics `itrack.positions` (6 partitions) and `itrack.events` (1). Other topics are created with 4
/// partitions when first produced to. The broker keeps data in memory, about 5 MiB per partition.
public enum KafkaBroker {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "ITRACK_TEST_KAFKA_BROKERS is not set: run the tests with scripts/test, which starts a Kafka broker "
                + "(or start one with `scripts/kafka start .data/test-kafka 29092 itrack.positions:6 itrack.events:1` "
                + "and export ITRACK_TEST_KAFKA_BROKERS=<the servers it prints>)"
        }
    }

    /// The bootstrap servers (`127.0.0.1:29092,…`) as given by `scripts/test`.
    public static func brokers() throws -> String {
        guard let brokers = ProcessInfo.processInfo.environment["ITRACK_TEST_KAFKA_BROKERS"], !brokers.isEmpty else {
            throw NotConfigured()
        }
        return brokers
    }

    /// A topic name no other test (or earlier run on the same broker) uses, e.g. `itrack.test.delivery.3f2a…`.
    public static func uniqueTopic(_ purpose: String) -> String {
        "itrack.test.\(purpose).\(uniqueSuffix())"
    }

    /// A consumer group id no other test uses.
    public static func uniqueGroup(_ purpose: String) -> String {
        "itrack-test-\(purpose)-\(uniqueSuffix())"
    }

    private static func uniqueSuffix() -> String {
        String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
    }
}

extension KafkaBroker {
    /// A broker of a test's own (`scripts/kafka` in `.data/<name>`, one mock broker on a fixed port), for tests
    /// that take it down: the shared broker must stay up for the other tests.
    public struct Private: Sendable {
        public let directory: String
        public let port: Int
        public let bootstrap: String

        /// Starts it (fails when the port is taken), replacing one a previous run left in the same directory;
        /// stop it with `stop()`.
        public init(name: String, port: Int, topics: [String] = []) throws {
            directory = RepositoryPaths.root.appendingPathComponent(".data").appendingPathComponent(name).path
            self.port = port
            // One left behind by an interrupted run may be down: always begin with a fresh broker.
            try Private.script(["stop", directory])
            let output = try Private.script(["start", directory, String(port)] + topics)
            guard let line = output.split(separator: "\n").last else {
                throw ServerError(message: "scripts/kafka start \(directory) \(port) printed no servers")
            }
            bootstrap = String(line)
        }

        /// Takes the broker down: connections are refused until `up()`. Data and offsets are kept.
        public func down() throws { try Private.script(["down", directory]) }

        public func up() throws { try Private.script(["up", directory]) }

        public func stop() throws { try Private.script(["stop", directory]) }

        /// One broker, so its port is the only one the test needs free.
        @discardableResult
        private static func script(_ arguments: [String]) throws -> String {
            try RepositoryScript.run("kafka", arguments, environment: ["KAFKA_BROKERS": "1"])
        }
    }
}
