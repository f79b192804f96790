import Foundation

/// A read position in a time's UTF-8 bytes, for the hand-written time parsers (Traccar's JSON times, the
/// OsmAnd timestamp formats): they read digit by digit rather than through Foundation's formatters, so the
/// grammar is exactly theirs on every platform, and a worker can parse one per message cheaply.
public struct DigitCursor {
    private let bytes: [UInt8]
    private var index = 0

    public init(_ text: String) { bytes = Array(text.utf8) }

    public var atEnd: Bool { index == bytes.count }

    public mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// Exactly `count` ASCII digits as a number.
    public mutating func digits(exactly count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        let run = bytes[index..<index + count]
        guard run.allSatisfy(Self.isDigit) else { return nil }
        index += count
        return run.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// One to nine ASCII digits as a number (more would be garbage, not a date field).
    public mutating func number() -> Int? {
        let start = index
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        guard (1...9).contains(index - start) else { return nil }
        return bytes[start..<index].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// One to nine digits after a decimal point, as a fraction of a second.
    public mutating func fraction() -> Double? {
        let start = index
        guard let value = number() else { return nil }
        return Double(value) / pow(10, Double(index - start))
    }

    /// `Z` (either case) as 0, or `±HH:MM[:SS]` within ±18:00 as seconds east of UTC.
    public mutating func offset() -> Int? {
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
    public mutating func skipZoneRegion() -> Bool {
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
