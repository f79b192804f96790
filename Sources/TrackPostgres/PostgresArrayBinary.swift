import Foundation
import TrackCore

/// A one-dimensional array in PostgreSQL's binary wire format (what `array_recv` reads), built element by element.
///
/// A batch of positions is fifteen arrays (fourteen columns and its devices). As text, the writer spent its time printing doubles and times and
/// PostgreSQL its time parsing them back (`strtod`, `array_in`, date parsing); in binary a double is its eight
/// bytes and a time its microsecond count, on both sides.
struct PostgresArrayBinary {
    /// The element types used here, by their fixed OIDs (`pg_type`); `array_recv` refuses any other than the one
    /// the parameter's cast names.
    enum Element: UInt32 {
        case bool = 16
        case int4 = 23
        case text = 25
        case float8 = 701
        case varchar = 1043
        case timestamp = 1114
    }

    /// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    private static let epochOffsetMicros: Int64 = 946_684_800_000_000

    private let element: Element
    private var elements: [UInt8] = []
    private var hasNull = false
    private(set) var count = 0

    init(_ element: Element) {
        self.element = element
    }

    mutating func append(_ value: Int32) {
        begin(length: 4)
        Self.appendBigEndian(UInt32(bitPattern: value), to: &elements)
    }

    mutating func append(_ value: Double) {
        begin(length: 8)
        Self.appendBigEndian(value.bitPattern, to: &elements)
    }

    mutating func append(_ value: Bool) {
        begin(length: 1)
        elements.append(value ? 1 : 0)
    }

    mutating func append(_ value: Date) {
        begin(length: 8)
        Self.appendBigEndian(UInt64(bitPattern: Self.micros(value)), to: &elements)
    }

    /// Text goes as its UTF-8 bytes, unescaped; nil is SQL NULL.
    mutating func append(_ value: String?) {
        guard let value else {
            hasNull = true
            begin(length: -1)
            return
        }
        begin(length: value.utf8.count)
        elements.append(contentsOf: value.utf8)
    }

    /// The whole array: dimensions, null flag, element type, bounds, then the elements.
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elements.count)
        Self.appendBigEndian(UInt32(1), to: &bytes)
        Self.appendBigEndian(UInt32(hasNull ? 1 : 0), to: &bytes)
        Self.appendBigEndian(element.rawValue, to: &bytes)
        Self.appendBigEndian(UInt32(count), to: &bytes)
        Self.appendBigEndian(UInt32(1), to: &bytes)
        bytes.append(contentsOf: elements)
        return bytes
    }

    /// A single `timestamp` parameter in binary: microseconds since 2000-01-01, rounded as `UTCTime` rounds.
    static func timestamp(_ date: Date) -> [UInt8] {
        var bytes: [UInt8] = []
        appendBigEndian(UInt64(bitPattern: micros(date)), to: &bytes)
        return bytes
    }

    private static func micros(_ date: Date) -> Int64 {
        UTCTime.microseconds(date) - epochOffsetMicros
    }

    private mutating func begin(length: Int) {
        count += 1
        Self.appendBigEndian(UInt32(bitPattern: Int32(length)), to: &elements)
    }

    private static func appendBigEndian<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
