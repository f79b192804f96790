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
        var cursor = Cursor(value)
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
        var cursor = Cursor(value)
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

    /// A read position in the value's UTF-8 bytes.
    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Exactly `count` ASCII digits as a number.
        mutating func digits(exactly count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            let run = bytes[index..<index + count]
            guard run.allSatisfy(Self.isDigit) else { return nil }
            index += count
            return run.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }

        /// One to nine ASCII digits as a number (more would be garbage, not a date field).
        mutating func number() -> Int? {
            let start = index
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
            guard (1...9).contains(index - start) else { return nil }
            return bytes[start..<index].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }

        /// One to nine digits after a decimal point, as a fraction of a second.
        mutating func fraction() -> Double? {
            let start = index
            guard let value = number() else { return nil }
            return Double(value) / pow(10, Double(index - start))
        }

        /// `Z` (either case) as 0, or `±HH:MM[:SS]` within ±18:00 as seconds east of UTC.
        mutating func offset() -> Int? {
            if skip("Z") || skip("z") { return 0 }
            let sign: Int
            if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
            guard let hours = digits(exactly: 2), skip(":"), let minutes = digits(exactly: 2), minutes < 60
            else { return nil }
            var seconds = 0
            if skip(":") {
                guard let parsed = digits(exactly: 2), parsed < 60 else { return nil }
                seconds = parsed
            }
            let total = hours * 3_600 + minutes * 60 + seconds
            return total <= 18 * 3_600 ? sign * total : nil
        }

        /// An optional `[Region/Id]` suffix; false when it is malformed.
        mutating func skipZoneRegion() -> Bool {
            guard skip("[") else { return true }
            let start = index
            while index < bytes.count, Self.isZoneCharacter(bytes[index]) { index += 1 }
            return index > start && skip("]")
        }

        private static func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        private static func isZoneCharacter(_ byte: UInt8) -> Bool {
            let lower = byte | 0x20
            return isDigit(byte) || (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z"))
                || "/_+-.".utf8.contains(byte)
        }
    }
}
