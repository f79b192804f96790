/// Reads JSON bytes front to back without building a tree, for the few fields a worker needs from each of
/// tens of thousands of messages a second: Foundation's `JSONDecoder` spent most of a worker's time
/// building dictionaries of fields nobody reads. Values are checked as they are skipped, so malformed JSON
/// is still refused.
struct JSONScanner {
    struct Failure: Error {
        let message: String
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Calls `body` with each key of the object starting here; `body` must read or skip the key's value.
    mutating func object(_ body: (inout JSONScanner, String) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"))
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            try body(&self, key)
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "}"): return
            default: throw failure("expected , or } in an object")
            }
        }
    }

    /// After the top-level value, only whitespace may follow.
    mutating func end() throws(Failure) {
        skipWhitespace()
        if index < bytes.count { throw failure("unexpected text after the JSON value") }
    }

    mutating func string() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            if bytes[index] < 0x20 { throw failure("control character in a string") }
            index += 1
        }
        guard index < bytes.count else { throw failure("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<index - 1], as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: String(decoding: bytes[start..<index], as: UTF8.self).unicodeScalars)
        return try escapedRest(appendingTo: scalars)
    }

    mutating func number() throws(Failure) -> Double {
        let text = try numberText()
        guard let value = Double(text) else { throw failure("number \(text) out of range") }
        return value
    }

    mutating func integer() throws(Failure) -> Int64 {
        let text = try numberText()
        guard let value = Int64(text) else { throw failure("\(text) is not a 64-bit integer") }
        return value
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue() throws(Failure) {
        switch try peek() {
        case UInt8(ascii: "{"):
            try object { scanner, _ throws(Failure) in try scanner.skipValue() }
        case UInt8(ascii: "["):
            index += 1
            if try peek() == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try skipValue()
                switch try next() {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "]"): return
                default: throw failure("expected , or ] in an array")
                }
            }
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            _ = try number()
        }
    }

    private mutating func escapedRest(appendingTo start: String.UnicodeScalarView) throws(Failure) -> String {
        var scalars = start
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(scalars)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                default: throw failure("unknown escape \\\(Unicode.Scalar(escape))")
                }
            default:
                if byte < 0x20 { throw failure("control character in a string") }
                // Copy a whole UTF-8 sequence: its continuation bytes are never quotes or backslashes.
                var end = index
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                scalars.append(contentsOf: String(decoding: bytes[index - 1..<end], as: UTF8.self).unicodeScalars)
                index = end
            }
        }
        throw failure("unterminated string")
    }

    /// After `\u`: four hex digits, or a surrogate pair of two escapes.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800..<0xDC00).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw failure("lone surrogate \\u\(String(high, radix: 16))") }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low),
                  let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            else { throw failure("bad surrogate pair") }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw failure("lone surrogate \\u\(String(high, radix: 16))") }
        return scalar
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self),
                                                           radix: 16)
        else { throw failure("\\u needs four hex digits") }
        index += 4
        return value
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func numberText() throws(Failure) -> Substring {
        skipWhitespace()
        let start = index
        func digits(_ scanner: inout JSONScanner) -> Int {
            let first = scanner.index
            while scanner.index < scanner.bytes.count, (48...57).contains(scanner.bytes[scanner.index]) {
                scanner.index += 1
            }
            return scanner.index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integral = index
        guard digits(&self) > 0 else { throw failure("expected a value") }
        guard bytes[integral] != UInt8(ascii: "0") || index == integral + 1 else {
            throw failure("number with a leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw failure("expected digits after .") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else { throw failure("expected exponent digits") }
        }
        return Substring(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let count = word.utf8.count
        guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(word.utf8) else {
            throw failure("expected a value")
        }
        index += count
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private mutating func peek() throws(Failure) -> UInt8 {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of JSON") }
        return bytes[index]
    }

    private mutating func next() throws(Failure) -> UInt8 {
        let byte = try peek()
        index += 1
        return byte
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard try next() == byte else {
            index -= 1
            throw failure("expected \(Unicode.Scalar(byte))")
        }
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(index)")
    }
}
