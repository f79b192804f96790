import Foundation
import Logging
import Metrics
import TrackAnalytics
import TrackCore
import TrackPostgres

/// Runs batches of fixes through the analytics engine: the part the Kafka worker and the in-process analytics
/// share. Used from one thread; `AnalyticsWriter` commits what it returns.
///
/// The engine's memory is only a cache of what the committed positions imply. A device the engine does not
/// know is first rebuilt from its recent positions in PostgreSQL, so a restart or a partition moving between
/// workers continues stays and trips instead of starting them again. Its results must be committed (retried
/// until they are) before the next batch's: the engine has moved on and will not derive them again.
final class AnalyticsPipeline {
    struct Settings {
        var analytics: AnalyticsSettings
        var geofenceRefresh: TimeInterval

        init(config: Config) {
            analytics = AnalyticsSettings(
                stayRadius: config[ConfigKeys.analyticsStayRadius], stayDuration: config[ConfigKeys.analyticsStayDuration],
                maxWalkSpeed: config[ConfigKeys.analyticsMaxWalkSpeed], cellSize: config[ConfigKeys.analyticsCellSize],
                lateness: config[ConfigKeys.analyticsLateness], retention: config[ConfigKeys.analyticsRetention])
            geofenceRefresh = config[ConfigKeys.analyticsGeofenceRefresh]
        }
    }

    private let settings: Settings
    private let databaseURL: String
    private let logger: Logger
    private var engine: AnalyticsEngine
    private var connection: PostgresConnection?
    private var geofences: [Geofence] = []
    private var geofencesLoaded = Date.distantPast
    private var invalidGeofences: Set<Int> = []
    private let devices = Gauge(label: "itrack_analytics_devices")

    init(settings: Settings, databaseURL: String, logger: Logger) {
        self.settings = settings
        self.databaseURL = databaseURL
        self.logger = logger
        engine = AnalyticsEngine(settings: settings.analytics)
    }

    /// What `fixes` change. Reads only before the engine takes the fixes in, so a failure leaves the engine
    /// as it was and the batch can be analysed again.
    /// - Throws: `PostgresError` when the geofences or a new device's history could not be read.
    func analyse(_ fixes: [Fix]) throws(PostgresError) -> AnalyticsResults {
        do {
            let store = try self.store()
            try refreshGeofences(store)
            // Positions arrive in id order per device, so what came before a device's first one in this batch is
            // exactly its rows with lower ids.
            var firstIds: [Int: Int64] = [:]
            for fix in fixes where !engine.knows(deviceId: fix.deviceId) {
                firstIds[fix.deviceId] = min(firstIds[fix.deviceId] ?? fix.positionId, fix.positionId)
            }
            var history: [Fix] = []
            if let earliest = fixes.map(\.fixTime).min(), !firstIds.isEmpty {
                history = try store.recentFixes(
                    below: firstIds, since: earliest.addingTimeInterval(-settings.analytics.retention))
            }
            let results = engine.process(fixes, after: history, geofences: geofences)
            devices.record(engine.deviceCount)
            return results
        } catch {
            if error.code == .connection { connection = nil }
            throw error
        }
    }

    /// Forgets every device, for when the devices this worker is responsible for changed.
    func forgetDevices() {
        engine.forgetDevices()
        devices.record(0)
    }

    private func store() throws(PostgresError) -> AnalyticsStore {
        if let connection { return AnalyticsStore(connection: connection) }
        let opened = try PostgresConnection(url: databaseURL, applicationName: "itrack-analytics")
        connection = opened
        return AnalyticsStore(connection: opened)
    }

    private func refreshGeofences(_ store: AnalyticsStore) throws(PostgresError) {
        guard Date().timeIntervalSince(geofencesLoaded) >= settings.geofenceRefresh else { return }
        let loaded = try store.geofences()
        geofences = loaded.valid
        geofencesLoaded = Date()
        for (id, reason) in loaded.invalid where !invalidGeofences.contains(id) {
            logger.warning("geofence ignored: its area does not parse", metadata: ["geofence": "\(id)", "error": "\(reason)"])
        }
        invalidGeofences = Set(loaded.invalid.map(\.id))
    }
}
