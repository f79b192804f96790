import CoreMetrics
import Prometheus

/// Bridges swift-metrics to the Prometheus registry like `PrometheusMetricsFactory`, but with the
/// help text and buckets from `MetricCatalog`: `promtool check metrics` rejects metrics without HELP,
/// and swift-prometheus's own factory has no way to give one.
struct CatalogMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    private let fallback: PrometheusMetricsFactory

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        fallback = PrometheusMetricsFactory(registry: registry)
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        let buckets = MetricCatalog.entry(label)?.valueBuckets ?? []
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions,
                                           buckets: buckets.isEmpty ? fallback.defaultValueHistogramBuckets : buckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = MetricCatalog.entry(label)?.durationBuckets ?? []
        return registry.makeDurationHistogram(
            descriptor: descriptor(label), labels: dimensions,
            buckets: buckets.isEmpty ? fallback.defaultDurationHistogramBuckets : buckets)
    }

    func destroyCounter(_ handler: any CounterHandler) { fallback.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        fallback.destroyFloatingPointCounter(handler)
    }
    func destroyRecorder(_ handler: any RecorderHandler) { fallback.destroyRecorder(handler) }
    func destroyMeter(_ handler: any MeterHandler) { fallback.destroyMeter(handler) }
    func destroyTimer(_ handler: any TimerHandler) { fallback.destroyTimer(handler) }

    /// A name missing from the catalog still works, only without HELP; the metrics test catches it.
    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: MetricCatalog.entry(label)?.help ?? "")
    }
}
