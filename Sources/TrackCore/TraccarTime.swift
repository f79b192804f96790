import Foundation

/// Traccar's JSON date format, `2025-06-15T15:06:40.000+00:00`, always UTC with milliseconds.
public enum TraccarTime {
    public static func text(_ date: Date) -> String {
        let time = UTCTime(date)
        return time.dateAndTime(separator: "T") + "." + UTCTime.padded(time.microsecond / 1000, 3) + "+00:00"
    }

    /// Reads `text`'s own format back, and also `Z` or any `±hh:mm` offset (up to 18 hours, as Java allows)
    /// and 1–9 fraction digits, since Traccar-shaped JSON may come from other producers; no leap seconds. Read
    /// digit by digit: a worker parses one per message.
    public static func date(from text: String) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
              let day = scanner.number(2), scanner.skip("T"), let hour = scanner.number(2), scanner.skip(":"),
              let minute = scanner.number(2), scanner.skip(":"), let second = scanner.number(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if scanner.skip(".") {
            var scale = 0.1
            var digits = 0
            while let digit = scanner.number(1) {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard (1...9).contains(digits) else { return nil }
        }
        var offset: Int64 = 0
        if !scanner.skip("Z") {
            let sign: Int64 = scanner.skip("+") ? 1 : scanner.skip("-") ? -1 : 0
            guard sign != 0, let hours = scanner.number(2), scanner.skip(":"), let minutes = scanner.number(2),
                  hours <= 18, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        let days = UTCTime.daysSinceEpoch(year: year, month: month, day: day)
        // A day past the month's end (February 31st) would roll into the next month.
        guard scanner.isAtEnd, UTCTime.civilDate(daysSinceEpoch: days) == (year, month, day) else { return nil }
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction)
    }
}

private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `count` decimal digits.
    mutating func number(_ count: Int) -> Int64? {
        guard index + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + count] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        index += count
        return value
    }
}
