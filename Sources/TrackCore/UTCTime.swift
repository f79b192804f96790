import Foundation

/// A UTC instant split into calendar fields by arithmetic alone (Howard Hinnant's algorithms, proleptic
/// Gregorian), so no formatter, calendar object or machine time zone is involved on the hot paths that
/// print and parse times: PostgreSQL literals, Traccar JSON, log lines, device timestamps.
public struct UTCTime: Sendable, Equatable {
    public let year: Int64
    public let month: Int64
    public let day: Int64
    public let hour: Int64
    public let minute: Int64
    public let second: Int64
    public let microsecond: Int64

    /// Rounded to the microsecond: a `Date` counts from 2001, so a 1970-based time carries a little
    /// floating-point error that rounding absorbs; callers showing fewer digits truncate from here.
    public init(_ date: Date) {
        let micros = Self.microseconds(date)
        let seconds = micros.floorDivided(by: 1_000_000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        microsecond = micros - seconds * 1_000_000
    }

    /// Microseconds from 1970-01-01, rounded as every text form of a time rounds them.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// `2026-11-18T11:06:40.123Z`: ISO 8601 in UTC with milliseconds, as logs and exports write times.
    public var iso8601Milliseconds: String {
        text(separator: "T", fractionDigits: 3, suffix: "Z")
    }

    /// Days from 1970-01-01 to the given date; `month` must be 1…12, a `day` past the month's end rolls over.
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count, in 400-year eras that start on 1 March so leap days end each year.
    public static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value` with leading zeros up to `width` digits.
    public static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `2026-11-28` + `separator` + `10:15:00.123` + `suffix`, every text form a time takes here (PostgreSQL
    /// literals with 6 fraction digits, Traccar JSON, logs and exports with 3). Built as bytes: these run once
    /// per stored position and per JSON row, and string concatenation was most of their cost.
    public func text(separator: Character, fractionDigits: Int, suffix: String = "") -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(21 + fractionDigits + suffix.utf8.count)
        if (0...9999).contains(year) {
            Self.append(year, digits: 4, to: &bytes)
        } else {
            bytes.append(contentsOf: Self.padded(year, 4).utf8)
        }
        bytes.append(UInt8(ascii: "-"))
        Self.append(month, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Self.append(day, digits: 2, to: &bytes)
        bytes.append(contentsOf: String(separator).utf8)
        Self.append(hour, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(minute, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(second, digits: 2, to: &bytes)
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            var fraction = microsecond
            for _ in fractionDigits..<6 { fraction /= 10 }
            Self.append(fraction, digits: fractionDigits, to: &bytes)
        }
        bytes.append(contentsOf: suffix.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The last `digits` decimal digits of a non-negative `value`, with leading zeros.
    private static func append(_ value: Int64, digits: Int, to bytes: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}

extension BinaryInteger {
    /// Division rounding toward negative infinity, which calendar arithmetic needs for times before 1970.
    public func floorDivided(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
