import Logging
import TrackCore

/// One JSON object being built as UTF-8 bytes, ready for a single write. Written by hand because a
/// log line needs only strings, arrays and objects, and this costs one buffer per line with no
/// encoder or `Any` boxing.
struct JSONLine {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    init() {
        bytes.reserveCapacity(256)
    }

    mutating func add(_ key: String, _ value: String) {
        appendKey(key)
        appendString(value)
    }

    mutating func add(_ key: String, _ value: Logger.MetadataValue) {
        appendKey(key)
        appendValue(value)
    }

    /// The finished object and its newline.
    consuming func finish() -> [UInt8] {
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    private mutating func appendKey(_ key: String) {
        if bytes.last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Dictionary keys are sorted so the same metadata always gives the same line.
    private mutating func appendValue(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let string):
            appendString(string)
        case .stringConvertible(let convertible):
            appendString(convertible.description)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            bytes.append(UInt8(ascii: "{"))
            for (key, element) in dictionary.sorted(by: { $0.key < $1.key }) {
                appendKey(key)
                appendValue(element)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func appendString(_ string: String) {
        bytes.append(contentsOf: JSONText.quoted(string).utf8)
    }
}
