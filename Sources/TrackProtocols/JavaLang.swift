import TrackWire

/// The few `java.lang` parsing methods Traccar's decoders call, with Java's grammar rather than Swift's,
/// so that itrack accepts and refuses the same device input Traccar does.
///
/// Swift's `Double(_:)` takes `inf`, `nan` and hex without an exponent and refuses surrounding spaces
/// and a `d`/`f` suffix; Java is the other way round on each point.
enum JavaLang {
    /// `Double.parseDouble`: trimmed, optional sign, decimal digits with optional point and exponent,
    /// optional `f`/`F`/`d`/`D` suffix; also `NaN`, `Infinity` and hex floats with a `p` exponent.
    /// Returns nil where Java throws `NumberFormatException`; may return a non-finite value.
    static func parseDouble(_ text: String) -> Double? {
        if isPlainDecimal(text) { return Double(text) }
        var body = Substring(trimmed(text))
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        if body == "NaN" { return .nan }
        if body == "Infinity" { return negative ? -.infinity : .infinity }
        if let last = body.last, "fFdD".contains(last) {
            body = body.dropLast()
        }
        let lowered = body.lowercased()
        let valid = lowered.hasPrefix("0x") ? lowered.contains("p") : isDecimalFloat(body)
        guard valid, let magnitude = Double(body) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// `Integer.parseInt`: optional sign and ASCII digits only, within 32 bits.
    static func parseInt(_ text: some StringProtocol) -> Int32? {
        Int32(text, radix: 10)
    }

    /// `Long.parseLong`: optional sign and ASCII digits only, within 64 bits.
    static func parseLong(_ text: String) -> Int64? {
        Int64(text, radix: 10)
    }

    /// `Boolean.parseBoolean`: true only for `true` in any letter case.
    static func parseBoolean(_ text: String) -> Bool {
        text.caseInsensitiveEquals("true")
    }

    /// `String.split(",")`: splits on every comma and drops trailing empty parts (but keeps one empty
    /// part for empty text), which decides how many fields Traccar sees.
    static func split(_ text: String, separator: Character = ",") -> [Substring] {
        var parts = text.split(separator: separator, omittingEmptySubsequences: false)
        while parts.count > 1, parts.last?.isEmpty == true {
            parts.removeLast()
        }
        return parts
    }

    /// `-12.5`, `3`, `.5`: what phones send nearly always, which Java and Swift read alike, so the checks for
    /// Java's other spellings (suffixes, hexadecimal, exponents, padding) can be skipped. Reads the string's
    /// UTF-8 in place: it runs for every number of every report.
    private static func isPlainDecimal(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var digits = 0
            var points = 0
            for offset in bytes.indices {
                switch bytes[offset] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
                case UInt8(ascii: "."): points += 1
                case UInt8(ascii: "-") where offset == 0: break
                default: return false
                }
            }
            return digits > 0 && points <= 1
        } ?? false
    }

    /// `String.trim`: removes every character at or below U+0020 from both ends.
    private static func trimmed(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { $0.value > 0x20 }),
            let last = scalars.lastIndex(where: { $0.value > 0x20 })
        else { return "" }
        return Substring(scalars[first...last])
    }

    /// Digits with at most one point and at least one digit, then an optional exponent with digits.
    private static func isDecimalFloat(_ text: Substring) -> Bool {
        var digits = 0
        var sawPoint = false
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index = utf8.index(after: index)
        }
        guard digits > 0 else { return false }
        guard index < utf8.endIndex else { return true }
        guard utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") else { return false }
        var exponent = utf8[utf8.index(after: index)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            exponent = exponent.dropFirst()
        }
        return !exponent.isEmpty && exponent.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
