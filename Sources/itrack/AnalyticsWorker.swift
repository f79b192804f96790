import Foundation
import Logging
import Metrics
import Synchronization
import TrackAnalytics
import TrackCore
import TrackKafka
import TrackNet
import TrackPostgres

/// `itrack analytics`: one member of the consumer group that turns the positions topic into stays, trips,
/// daily totals, density and events.
///
/// A batch's offsets are committed only after its results are committed in PostgreSQL and its new events are
/// on the events topic; a crash in between replays the batch, which rewrites the same rows. Reading and
/// analysing a batch overlaps with committing the one before (`AnalyticsCommitter`).
final class AnalyticsWorker: Sendable {
    struct Settings {
        var brokers: String
        var topic: String
        var eventsTopic: String
        var group: String
        var batchSize: Int
        var databaseURL: String
        var pipeline: AnalyticsPipeline.Settings

        init(config: Config) throws {
            brokers = config[ConfigKeys.kafkaBrokers]
            guard !brokers.isEmpty else {
                throw ConfigError(key: ConfigKeys.kafkaBrokers.name, message: "the analytics worker reads from Kafka")
            }
            topic = config[ConfigKeys.kafkaTopic]
            eventsTopic = config[ConfigKeys.kafkaEventsTopic]
            group = config[ConfigKeys.analyticsGroup]
            batchSize = max(1, config[ConfigKeys.analyticsBatchSize])
            databaseURL = try config.requireDatabaseURL()
            pipeline = AnalyticsPipeline.Settings(config: config)
        }
    }

    private let settings: Settings
    private let logger: Logger
    private let stopping = Atomic(false)
    private let finished = DispatchSemaphore(value: 0)

    init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "itrack-analytics"
        thread.start()
    }

    /// Finishes the batch in hand, leaves the group so the others take over at once, and returns.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func run() {
        let consumer: KafkaConsumer
        let events: EventPublisher
        do {
            // A broker may hold an empty fetch for fetch.wait.max.ms (500 by default) even when data arrives
            // meanwhile; 100 ms keeps a quiet stream's end-to-end lag low for a few more fetches a second.
            consumer = try KafkaConsumer(brokers: settings.brokers, groupId: settings.group, topics: [settings.topic],
                                         settings: ["fetch.wait.max.ms": "100"], logger: logger)
            events = try EventPublisher(brokers: settings.brokers, topic: settings.eventsTopic, logger: logger)
        } catch {
            logger.critical("analytics cannot start", metadata: ["error": "\(error)"])
            Foundation.exit(1)
        }
        logger.info("analytics consuming", metadata: ["topic": "\(settings.topic)", "group": "\(settings.group)"])
        let pipeline = AnalyticsPipeline(settings: settings.pipeline, databaseURL: settings.databaseURL, logger: logger)
        let committer = AnalyticsCommitter(
            writer: AnalyticsWriter(databaseURL: settings.databaseURL), events: events, consumer: consumer,
            logger: logger, isStopping: { [self] in isStopping })
        committer.start()
        let retry = DatabaseRetry(logger: logger, what: "reading for the analytics")
        let lag = Gauge(label: "itrack_analytics_consumer_lag_messages")
        let malformed = Counter(label: "itrack_analytics_positions_total", dimensions: [("outcome", "malformed")])
        let logLimiter = LogLimiter()
        var rebalances = consumer.rebalanceCount
        while !isStopping {
            let messages = poll(consumer, logLimiter: logLimiter)
            if consumer.rebalanceCount != rebalances {
                rebalances = consumer.rebalanceCount
                pipeline.forgetDevices()
            }
            lag.record((try? consumer.lag()) ?? 0)
            if messages.isEmpty { continue }
            var fixes: [Fix] = []
            var uniqueIds: [Int: String] = [:]
            var offsets: [KafkaPartition: KafkaOffset] = [:]
            fixes.reserveCapacity(messages.count)
            for message in messages {
                offsets[KafkaPartition(topic: message.topic, partition: message.partition)] = message.commitOffset
                do {
                    let (fix, uniqueId) = try PositionMessage.decode(message.value)
                    fixes.append(fix)
                    uniqueIds[fix.deviceId] = uniqueId
                } catch {
                    malformed.increment()
                    if logLimiter.allow("malformed") {
                        logger.warning("message skipped", metadata: ["offset": "\(message.commitOffset)",
                                                                     "error": "\(error)"])
                    }
                }
            }
            guard let results = retry.run(isStopping: { isStopping }, { () throws(PostgresError) in
                try pipeline.analyse(fixes)
            }) else { break }
            committer.submit(AnalyticsCommitter.Batch(results: results, positions: fixes.count, uniqueIds: uniqueIds,
                                                      offsets: Array(offsets.values)))
        }
        committer.finish()
        do {
            try consumer.close()
        } catch {
            logger.warning("analytics left the group uncleanly", metadata: ["error": "\(error)"])
        }
    }

    /// Up to `batchSize` messages: waits up to a second for the first, then takes what is already there.
    private func poll(_ consumer: KafkaConsumer, logLimiter: LogLimiter) -> [KafkaMessage] {
        var messages: [KafkaMessage] = []
        var timeout = Duration.seconds(1)
        while messages.count < settings.batchSize && !isStopping {
            do {
                guard let message = try consumer.poll(timeout: timeout) else { break }
                messages.append(message)
                timeout = .zero
            } catch {
                if logLimiter.allow("poll \(error.code)") {
                    logger.warning("kafka consumer", metadata: ["error": "\(error)"])
                }
                break
            }
        }
        return messages
    }
}
