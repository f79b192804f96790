import Foundation

/// Traccar's JSON date format, `2025-06-15T15:06:40.000+00:00`, always UTC with milliseconds.
public enum TraccarTime {
    public static func text(_ date: Date) -> String {
        let time = UTCTime(date)
        return time.text(separator: "T", fractionDigits: 3, suffix: "+00:00")
    }

    /// Reads `text`'s own format back, and also `Z` or any `±hh:mm` offset (up to 18 hours, as Java allows)
    /// and 1–9 fraction digits, since Traccar-shaped JSON may come from other producers; no leap seconds. Read
    /// digit by digit: a worker parses one per message.
    public static func date(from text: String) -> Date? {
        var cursor = DigitCursor(text)
        guard let year = cursor.digits(exactly: 4), cursor.skip("-"), let month = cursor.digits(exactly: 2),
              cursor.skip("-"), let day = cursor.digits(exactly: 2), cursor.skip("T"),
              let hour = cursor.digits(exactly: 2), cursor.skip(":"), let minute = cursor.digits(exactly: 2),
              cursor.skip(":"), let second = cursor.digits(exactly: 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = 0.0
        if cursor.skip(".") {
            guard let digits = cursor.fraction() else { return nil }
            fraction = digits
        }
        var offset = 0
        if !cursor.skip("Z") {
            let sign = cursor.skip("+") ? 1 : cursor.skip("-") ? -1 : 0
            guard sign != 0, let hours = cursor.digits(exactly: 2), cursor.skip(":"),
                  let minutes = cursor.digits(exactly: 2), hours <= 18, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        let days = UTCTime.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
        // A day past the month's end (February 31st) would roll into the next month.
        guard cursor.atEnd, UTCTime.civilDate(daysSinceEpoch: days) == (Int64(year), Int64(month), Int64(day))
        else { return nil }
        let seconds = Int(days) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
