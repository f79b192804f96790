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

    /// A one-dimensional array literal (`{"a","b",NULL}`) with every element quoted and escaped, built as bytes.
    public static func array(_ elements: [String?]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(elements.count * 16 + 2)
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
