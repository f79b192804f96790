import Foundation
import TrackCore

/// Text forms of values in PostgreSQL's input syntax, for parameters sent as text.
public enum PostgresText {
    /// A UTC `timestamp` literal with microseconds: `2026-11-28 10:15:00.123456`.
    public static func timestamp(_ date: Date) -> String {
        let time = UTCTime(date)
        return time.text(separator: " ", fractionDigits: 6)
    }

    /// Parses the `timestamp` output format (`2026-11-28 10:15:00[.ffffff]`) as UTC.
    public static func date(fromTimestamp text: String) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" })
        guard parts.count == 6, let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              let hour = Int64(parts[3]), let minute = Int64(parts[4]), let second = Double(parts[5])
        else { return nil }
        let days = UTCTime.daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60) + second)
    }

    /// A one-dimensional array literal (`{"a","b",NULL}`) with every element quoted and escaped.
    public static func array(_ elements: [String?]) -> String {
        PostgresArrayText(elements).text
    }
}
