import Foundation
import Prometheus
import Synchronization

/// The standard `process_*` metrics, read from `/proc/self` when scraped: nothing runs between scrapes.
final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let cpuSeconds: Counter
    /// CPU seconds already added to the counter, which can only grow by increments.
    private let countedCPU = Mutex<Double>(0)
    private let openFds: Gauge
    private let maxFds: Gauge
    private let startTime: Gauge
    private let uptime: Gauge
    private let started = Date()

    init(registry: PrometheusCollectorRegistry, version: String) {
        func gauge(_ name: String) -> Gauge {
            registry.makeGauge(descriptor: Self.descriptor(name))
        }
        residentMemory = gauge("process_resident_memory_bytes")
        virtualMemory = gauge("process_virtual_memory_bytes")
        cpuSeconds = registry.makeCounter(descriptor: Self.descriptor("process_cpu_seconds_total"))
        openFds = gauge("process_open_fds")
        maxFds = gauge("process_max_fds")
        startTime = gauge("process_start_time_seconds")
        uptime = gauge("itrack_uptime_seconds")
        registry.makeGauge(descriptor: Self.descriptor("itrack_build_info"), labels: [("version", version)]).set(to: 1)
        startTime.set(to: started.timeIntervalSince1970)
    }

    /// Refreshes every gauge; called right before the registry is written out.
    func update(now: Date = Date()) {
        uptime.set(to: now.timeIntervalSince(started))
        openFds.set(to: Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0))
        var limit = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 { maxFds.set(to: Double(limit.rlim_cur)) }
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return }
        // Fields after the command name, which may itself hold spaces: state is field 3 of stat(5).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double { Double(fields[number - 3]) ?? 0 }
        guard fields.count >= 22 else { return }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let total = (field(14) + field(15)) / ticks
        let added = countedCPU.withLock { counted in
            defer { counted = max(counted, total) }
            return max(0, total - counted)
        }
        cpuSeconds.increment(by: added)
        virtualMemory.set(to: field(23))
        residentMemory.set(to: field(24) * Double(sysconf(Int32(_SC_PAGESIZE))))
    }

    private static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: MetricCatalog.entry(name)?.help ?? "")
    }
}

/// Glibc imports `RLIMIT_NOFILE` as an enum case of `__rlimit_resource`; `getrlimit` takes its raw value.
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
