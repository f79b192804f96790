import Foundation

/// UTC ISO 8601 with milliseconds (`2026-11-29T21:04:35.123Z`), worked out by arithmetic so the
/// result never depends on the machine's time zone or locale and no formatter is shared between
/// threads.
enum LogTimestamp {
    static func format(_ date: Date) -> String {
        // A Date counts from 2001, so a 1970-based time carries up to ~0.2 µs of floating-point error:
        // rounding to the microsecond absorbs it. Truncating to the millisecond after that keeps
        // 59.9996 s in its own second instead of rounding it up to 60.000.
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let milliseconds = floorDivide(microseconds, by: 1000).quotient
        let (days, millisecondOfDay) = floorDivide(milliseconds, by: 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let secondOfDay = millisecondOfDay / 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(millisecondOfDay % 1000, 3))Z"
    }

    /// Division that rounds toward minus infinity, so times before 1970 still get a remainder in
    /// `0..<divisor`.
    private static func floorDivide(_ value: Int64, by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day count, computed in
    /// 400-year eras that start on 1 March so leap days fall at the end of each year.
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let marchBasedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * marchBasedMonth + 2) / 5 + 1
        let month = marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
