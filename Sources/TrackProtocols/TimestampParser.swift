import Foundation
import TrackCore

/// Reads the time formats Traccar's OsmAnd decoder accepts, without Foundation's formatters, so the
/// accepted grammar is exactly the one below on every platform.
enum TimestampParser {
    /// The query/form `timestamp` rule: an integer is epoch seconds while below 2147483647 and epoch
    /// milliseconds from there on (so 2147483647 itself is milliseconds, as in Traccar); text containing an
    /// upper-case `T` must be ISO 8601 with a zone (`parseISO`); anything else is `yyyy-MM-dd HH:mm:ss`
    /// (`parseDateTime`). A fractional number fits none of these and gives nil.
    static func parseQueryValue(_ value: String) -> Date? {
        if let integer = JavaLang.parseLong(value) {
            let seconds = integer < Int64(Int32.max) ? Double(integer) : Double(integer) / 1000
            return Date(timeIntervalSince1970: seconds)
        }
        return value.contains("T") ? parseISO(value) : parseDateTime(value)
    }

    /// Java's `ISO_ZONED_DATE_TIME`: `yyyy-MM-ddTHH:mm[:ss[.fraction]]` then `Z` or `±HH:MM[:SS]`, then an
    /// optional `[Region/Id]` that is ignored because the offset decides the instant. The zone is
    /// mandatory: a time without one could be any instant.
    static func parseISO(_ value: String) -> Date? {
        var cursor = DigitCursor(value)
        guard let year = cursor.digits(exactly: 4), cursor.skip("-"), let month = cursor.digits(exactly: 2),
            cursor.skip("-"), let day = cursor.digits(exactly: 2), cursor.skip("T") || cursor.skip("t"),
            let hour = cursor.digits(exactly: 2), cursor.skip(":"), let minute = cursor.digits(exactly: 2)
        else { return nil }
        var second = 0
        var fraction = 0.0
        if cursor.skip(":") {
            guard let parsed = cursor.digits(exactly: 2) else { return nil }
            second = parsed
            if cursor.skip(".") {
                guard let parsedFraction = cursor.fraction() else { return nil }
                fraction = parsedFraction
            }
        }
        guard let offset = cursor.offset(), cursor.skipZoneRegion(), cursor.atEnd,
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let seconds = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }

    /// Java's `SimpleDateFormat("yyyy-MM-dd HH:mm:ss").parse`, which is lenient: fields may have any number
    /// of digits, out-of-range fields roll over (month 13 is January of the next year) and text after the
    /// seconds is ignored. Read in UTC, where Traccar uses the server's zone (itrack's servers run in UTC).
    static func parseDateTime(_ value: String) -> Date? {
        var cursor = DigitCursor(value)
        guard let year = cursor.number(), cursor.skip("-"), let month = cursor.number(), cursor.skip("-"),
            let day = cursor.number(), cursor.skip(" "), let hour = cursor.number(), cursor.skip(":"),
            let minute = cursor.number(), cursor.skip(":"), let second = cursor.number()
        else { return nil }
        let seconds = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return Date(timeIntervalSince1970: Double(seconds))
    }

    /// Seconds since 1970 in the proleptic Gregorian calendar; months and days outside their range roll over.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int {
        let monthIndex = month - 1
        let normalizedYear = year + monthIndex.floorDivided(by: 12)
        let normalizedMonth = monthIndex - monthIndex.floorDivided(by: 12) * 12 + 1
        let days = Int(UTCTime.daysSinceEpoch(year: Int64(normalizedYear), month: Int64(normalizedMonth), day: 1))
            + day - 1
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
