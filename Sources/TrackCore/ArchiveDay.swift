import Foundation

/// One UTC day of the archive, named `YYYY-MM-DD` as in its key.
public struct ArchiveDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The day `date` falls on, in UTC.
    public init(containing date: Date) {
        daysSinceEpoch = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    /// Parses `YYYY-MM-DD`; nil for anything else, including days that do not exist (2026-02-30).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let days = UTCTime.daysSinceEpoch(year: year, month: month, day: day)
        guard UTCTime.civilDate(daysSinceEpoch: days) == (year, month, day) else { return nil }
        daysSinceEpoch = days
    }

    /// Midnight starting the day.
    public var start: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch * 86_400)) }
    /// Midnight ending it.
    public var end: Date { Date(timeIntervalSince1970: Double((daysSinceEpoch + 1) * 86_400)) }

    public func advanced(by days: Int64) -> ArchiveDay { ArchiveDay(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        let (year, month, day) = UTCTime.civilDate(daysSinceEpoch: daysSinceEpoch)
        return "\(UTCTime.padded(year, 4))-\(UTCTime.padded(month, 2))-\(UTCTime.padded(day, 2))"
    }

    public static func < (lhs: ArchiveDay, rhs: ArchiveDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
