import Foundation
import Metrics
import Synchronization

/// The standard `process_*` metrics, read from `/proc/self` when scraped: nothing runs between scrapes.
final class ProcessMetrics: Sendable {
    private let residentMemory = Gauge(label: "process_resident_memory_bytes")
    private let virtualMemory = Gauge(label: "process_virtual_memory_bytes")
    private let cpuSeconds = FloatingPointCounter(label: "process_cpu_seconds_total")
    /// CPU seconds already added to the counter, which can only grow by increments.
    private let countedCPU = Mutex<Double>(0)
    private let openFds = Gauge(label: "process_open_fds")
    private let maxFds = Gauge(label: "process_max_fds")
    private let uptime = Gauge(label: "itrack_uptime_seconds")
    private let started = Date()

    init(version: String) {
        Gauge(label: "itrack_build_info", dimensions: [("version", version)]).record(1)
        Gauge(label: "process_start_time_seconds").record(started.timeIntervalSince1970)
    }

    /// Refreshes every gauge; called right before the registry is written out.
    func update(now: Date = Date()) {
        uptime.record(now.timeIntervalSince(started))
        openFds.record((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0)
        var limit = rlimit()
        if getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 { maxFds.record(Double(limit.rlim_cur)) }
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
        virtualMemory.record(field(23))
        residentMemory.record(field(24) * Double(sysconf(Int32(_SC_PAGESIZE))))
    }
}

/// Glibc imports `RLIMIT_NOFILE` as an enum case of `__rlimit_resource`; `getrlimit` takes its raw value.
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
