import Foundation
import TrackCore

/// UTC ISO 8601 with milliseconds (`2026-11-29T21:04:35.123Z`), worked out by arithmetic so the
/// result never depends on the machine's time zone or locale and no formatter is shared between
/// threads.
enum LogTimestamp {
    static func format(_ date: Date) -> String {
        // Truncating the microseconds keeps 59.9996 s in its own second instead of rounding it up to 60.000.
        UTCTime(date).iso8601Milliseconds
    }
}
