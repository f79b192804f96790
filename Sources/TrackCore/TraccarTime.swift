import Foundation

/// Traccar's JSON date format, `2025-06-15T15:06:40.000+00:00`, always UTC with milliseconds.
public enum TraccarTime {
    public static func text(_ date: Date) -> String {
        let time = UTCTime(date)
        return time.dateAndTime(separator: "T") + "." + UTCTime.padded(time.microsecond / 1000, 3) + "+00:00"
    }
}
