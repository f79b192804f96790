/// Every setting itrack reads. Names follow Traccar's `traccar.xml` keys where Traccar has the setting.
public enum ConfigKeys {
    public static let databaseURL = ConfigKey<String>(
        "database.url", default: "", "libpq connection URI; empty: scripts/run starts a private cluster under .data/")
    public static let registerUnknown = ConfigKey<Bool>(
        "database.registerUnknown", default: true, "create devices that report for the first time")
    public static let registerUnknownRegex = ConfigKey<String>(
        "database.registerUnknown.regex", default: #"[\w.:@-]{1,128}"#,
        "unique ids a new device may have to be registered automatically")
    public static let batchSize = ConfigKey<Int>(
        "database.batchSize", default: 2000, "most positions committed in one transaction")
    public static let batchWait = ConfigKey<Double>(
        "database.batchWait", default: 0,
        "extra seconds a batch may wait for more positions (0: a batch is what queued during the last commit)")
    public static let writers = ConfigKey<Int>(
        "database.writers", default: 2, "parallel group-commit writers, each with its own connection")
    public static let queueSize = ConfigKey<Int>(
        "database.queueSize", default: 20000, "positions waiting for commit before new ones get 503")
    public static let databaseCheckInterval = ConfigKey<Double>(
        "database.checkInterval", default: 5, "seconds an idle writer waits before checking its connection")
    public static let readyMaxWait = ConfigKey<Double>(
        "web.readyMaxWait", default: 10, "/ready fails when a queued position has waited longer than this (seconds)")
    public static let metricsPort = ConfigKey<Int>(
        "metrics.port", default: 0, "extra port serving only /metrics (0: /metrics is on the web port only)")
    public static let metricsAddress = ConfigKey<String>(
        "metrics.address", default: "0.0.0.0", "address the metrics port binds to")
    public static let logFormat = ConfigKey<String>("log.format", default: "text", "log lines as text or json")
    public static let logLevel = ConfigKey<String>(
        "logger.level", default: "info", "least severe level logged: trace, debug, info, notice, warning, error")
    public static let kafkaBrokers = ConfigKey<String>(
        "kafka.brokers", default: "", "Kafka bootstrap servers; empty: no publishing (analytics run in-process)")
    public static let kafkaTopic = ConfigKey<String>(
        "kafka.topic", default: "itrack.positions", "topic committed positions are published to, keyed by unique id")
    public static let kafkaEventsTopic = ConfigKey<String>(
        "kafka.eventsTopic", default: "itrack.events", "topic for geofence, stay and device events")
    public static let kafkaNode = ConfigKey<String>(
        "kafka.node", default: "", "name of this node's publish cursor (empty: the host name)")
    public static let kafkaMessageTimeout = ConfigKey<Double>(
        "kafka.messageTimeout", default: 30, "seconds a message may wait for the broker before it is read and sent again")
    public static let analyticsEnable = ConfigKey<Bool>(
        "analytics.enable", default: true, "without kafka.brokers, run the analytics inside serve")
    public static let analyticsGroup = ConfigKey<String>(
        "analytics.group", default: "itrack-analytics", "Kafka consumer group of the analytics workers")
    public static let analyticsBatchSize = ConfigKey<Int>(
        "analytics.batchSize", default: 20000, "most positions whose results are committed in one transaction")
    public static let analyticsInterval = ConfigKey<Double>(
        "analytics.interval", default: 0.5,
        "least seconds between the rounds of the analytics inside serve while positions keep coming")
    public static let analyticsStayRadius = ConfigKey<Double>(
        "analytics.stayRadius", default: 100, "metres from a stay's centroid that still count as being there")
    public static let analyticsStayDuration = ConfigKey<Double>(
        "analytics.stayDuration", default: 300, "seconds within stayRadius that make a stay")
    public static let analyticsMaxWalkSpeed = ConfigKey<Double>(
        "analytics.maxWalkSpeed", default: 3, "metres per second above which a segment is not walking")
    public static let analyticsCellSize = ConfigKey<Double>(
        "analytics.cellSize", default: 150, "metres across a crowd density cell")
    public static let analyticsLateness = ConfigKey<Double>(
        "analytics.lateness", default: 120, "seconds a fix may come after its density minute and still count")
    public static let analyticsRetention = ConfigKey<Double>(
        "analytics.retention", default: 86400, "seconds of a device's fixes kept to merge late ones into its stays")
    public static let analyticsGeofenceRefresh = ConfigKey<Double>(
        "analytics.geofenceRefresh", default: 30, "seconds between reloads of tc_geofences")
    public static let archiveEnable = ConfigKey<Bool>(
        "archive.enable", default: true, "archive each day inside serve (does nothing without archive.s3.bucket)")
    public static let archiveTime = ConfigKey<String>(
        "archive.time", default: "00:15", "UTC time of day (HH:mm) the daily archive runs")
    public static let archiveEndpoint = ConfigKey<String>(
        "archive.s3.endpoint", default: "", "S3 endpoint URL (empty: AWS, https://s3.<region>.amazonaws.com)")
    public static let archiveRegion = ConfigKey<String>("archive.s3.region", default: "us-east-1", "S3 region")
    public static let archiveBucket = ConfigKey<String>(
        "archive.s3.bucket", default: "", "bucket of the data lake; empty: no archive")
    public static let archivePrefix = ConfigKey<String>(
        "archive.s3.prefix", default: "positions", "key prefix: PREFIX/dt=YYYY-MM-DD/part-00000.csv.gz")
    public static let archivePathStyle = ConfigKey<Bool>(
        "archive.s3.pathStyle", default: false, "bucket in the path instead of the host (most S3-compatible servers)")
    public static let archivePartSize = ConfigKey<Int>(
        "archive.partSize", default: 8_388_608, "bytes per multipart part (at least 5 MiB)")
    public static let archiveRetentionDays = ConfigKey<Int>(
        "archive.retentionDays", default: 0, "delete positions this many days old once their day is archived (0: never)")
    public static let osmandPort = ConfigKey<Int>("osmand.port", default: 5055, "OsmAnd/Traccar Client HTTP port")
    public static let osmandAddress = ConfigKey<String>(
        "osmand.address", default: "0.0.0.0", "address the OsmAnd port binds to")
    public static let osmandSpeed = ConfigKey<String>(
        "osmand.speed", default: "knots", "unit of query/form `speed`: knots, kmh, mps or mph")
    public static let osmandMinAccuracy = ConfigKey<Double>(
        "osmand.minAccuracy", default: 10, "JSON accuracy below this many metres is stored as 0")
    public static let webPort = ConfigKey<Int>("web.port", default: 8082, "HTTP API, health and metrics port")
    public static let webAddress = ConfigKey<String>("web.address", default: "0.0.0.0", "address the web port binds to")
    public static let webTileURL = ConfigKey<String>(
        "web.tileUrl", default: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "map tiles of the page at / (Leaflet URL template; empty: no tiles)")
    public static let serverTimeout = ConfigKey<Double>(
        "server.timeout", default: 1800, "seconds an idle connection is kept open")
    public static let headerTimeout = ConfigKey<Double>(
        "server.headerTimeout", default: 30, "seconds a client has to send a whole request once it starts one")
    public static let maxConnections = ConfigKey<Int>(
        "server.maxConnections", default: 20000, "open connections per port before new ones are closed")
    public static let filterEnable = ConfigKey<Bool>("filter.enable", default: true, "apply the filters below")
    public static let filterInvalid = ConfigKey<Bool>(
        "filter.invalid", default: false, "drop positions the device marked invalid")
    public static let filterZero = ConfigKey<Bool>("filter.zero", default: false, "drop positions at 0,0")
    public static let filterFuture = ConfigKey<Double>(
        "filter.future", default: 86400, "drop fixes more than this many seconds ahead of the server (0: off)")
    public static let filterDuplicate = ConfigKey<Bool>(
        "filter.duplicate", default: false, "drop positions with the same fix time as the device's last one")

    /// Every key above: a key missing here is neither listed by `itrack config` nor validated at start.
    static let entries: [ConfigKeyIndex.Entry] = [
        databaseURL.entry, registerUnknown.entry, registerUnknownRegex.entry, batchSize.entry, batchWait.entry,
        writers.entry, queueSize.entry, databaseCheckInterval.entry, readyMaxWait.entry, metricsPort.entry,
        metricsAddress.entry, logFormat.entry, logLevel.entry, kafkaBrokers.entry, kafkaTopic.entry,
        kafkaEventsTopic.entry, kafkaNode.entry, kafkaMessageTimeout.entry, analyticsEnable.entry,
        analyticsGroup.entry, analyticsBatchSize.entry, analyticsInterval.entry, analyticsStayRadius.entry,
        analyticsStayDuration.entry, analyticsMaxWalkSpeed.entry, analyticsCellSize.entry, analyticsLateness.entry, analyticsRetention.entry,
        analyticsGeofenceRefresh.entry, archiveEnable.entry, archiveTime.entry, archiveEndpoint.entry,
        archiveRegion.entry, archiveBucket.entry, archivePrefix.entry, archivePathStyle.entry, archivePartSize.entry,
        archiveRetentionDays.entry, osmandPort.entry, osmandAddress.entry, osmandSpeed.entry,
        osmandMinAccuracy.entry, webPort.entry, webAddress.entry, webTileURL.entry, serverTimeout.entry,
        headerTimeout.entry, maxConnections.entry, filterEnable.entry, filterInvalid.entry, filterZero.entry,
        filterFuture.entry, filterDuplicate.entry,
    ]
}
