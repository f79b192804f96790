/// Byte positions of one header field inside a received buffer; no `String` exists until the message is complete.
struct RawField {
    var name: Range<Int>
    var value: Range<Int>
}

/// How the body after a head is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// The scanning steps the request and response parsers share, over bytes left where they were received.
///
/// Only byte positions are recorded while a message is still arriving, so a read that does not complete it costs one
/// pass over the bytes and no allocation of strings.
struct HTTPScanner {
    /// A chunk-size line longer than this is garbage, not a slow sender; stops an endless line from being buffered.
    static let maxChunkLineBytes = 1024

    let bytes: UnsafeRawBufferPointer

    /// The index `maxBytes` past `start`, or one past the end when the buffer is shorter (so no overflow).
    func limit(from start: Int, maxBytes: Int) -> Int {
        start + min(maxBytes, bytes.count - start + 1)
    }

    /// The index after any empty lines at `start`, which RFC 9112 §2.2 lets a server ignore; nil while a lone CR
    /// ends the buffer.
    func skipEmptyLines(from start: Int) -> Int? {
        var cursor = start
        while cursor < bytes.count {
            if bytes[cursor] == .lf {
                cursor += 1
            } else if bytes[cursor] == .cr, cursor + 1 < bytes.count, bytes[cursor + 1] == .lf {
                cursor += 2
            } else if bytes[cursor] == .cr, cursor + 1 == bytes.count {
                return nil
            } else {
                break
            }
        }
        return cursor
    }

    /// The index of the LF ending the line at `start`, nil while it has not arrived; throws `tooLong()` when no LF
    /// comes before `limit`.
    func lineEnd(from start: Int, limit: Int, tooLong: @autoclosure () -> HTTPParseError) throws(HTTPParseError)
        -> Int?
    {
        let searchEnd = max(start, min(limit, bytes.count))
        var index = start
        while index < searchEnd {
            if bytes[index] == .lf { return index }
            index += 1
        }
        if bytes.count >= limit { throw tooLong() }
        return nil
    }

    /// The line's bytes without its LF and the CR before it; a bare LF ending is tolerated.
    func content(from start: Int, lineEnd lf: Int) -> Range<Int> {
        lf > start && bytes[lf - 1] == .cr ? start..<(lf - 1) : start..<lf
    }

    /// Field lines from `start` through the empty line that ends them; nil while that empty line has not arrived.
    func fields(from start: Int, limit: Int, tooLong: @autoclosure () -> HTTPParseError) throws(HTTPParseError)
        -> (fields: [RawField], end: Int)?
    {
        var fields: [RawField] = []
        fields.reserveCapacity(16)
        var cursor = start
        while true {
            guard let lf = try lineEnd(from: cursor, limit: limit, tooLong: tooLong()) else { return nil }
            let line = content(from: cursor, lineEnd: lf)
            cursor = lf + 1
            if line.isEmpty { return (fields, cursor) }
            fields.append(try field(line))
        }
    }

    /// One `name: value` line with the value's surrounding whitespace trimmed.
    func field(_ line: Range<Int>) throws(HTTPParseError) -> RawField {
        // A line starting with whitespace continues the previous one (obs-fold); RFC 9112 §5.2 lets us reject it.
        guard !bytes[line.lowerBound].isWhitespace else { throw .bad("obsolete header line folding") }
        var colon = line.lowerBound
        while colon < line.upperBound, bytes[colon].isToken { colon += 1 }
        guard colon < line.upperBound, bytes[colon] == .colon else {
            if colon < line.upperBound, bytes[colon].isWhitespace {
                throw .bad("whitespace in or after a header field name")
            }
            throw .bad("header field name is not a token or has no colon")
        }
        guard colon > line.lowerBound else { throw .bad("empty header field name") }
        let value = trimmed(colon + 1..<line.upperBound)
        guard value.allSatisfy({ bytes[$0].isFieldContent }) else {
            throw .bad("control character in a header field value")
        }
        return RawField(name: line.lowerBound..<colon, value: value)
    }

    /// The range without leading and trailing spaces and tabs.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower].isWhitespace { lower += 1 }
        while upper > lower, bytes[upper - 1].isWhitespace { upper -= 1 }
        return lower..<upper
    }

    /// Whether the bytes in `range` equal `lowercased` ignoring ASCII case.
    func equalsIgnoringCase(_ range: Range<Int>, _ lowercased: String) -> Bool {
        range.count == lowercased.utf8.count && zip(range, lowercased.utf8).allSatisfy { asciiLower(bytes[$0]) == $1 }
    }

    /// The non-empty elements of every comma-separated field named `lowercasedName`; nil when no such field exists.
    func listElements(named lowercasedName: String, in fields: [RawField]) -> [Range<Int>]? {
        var found = false
        var elements: [Range<Int>] = []
        for field in fields where equalsIgnoringCase(field.name, lowercasedName) {
            found = true
            var start = field.value.lowerBound
            for index in field.value where bytes[index] == .comma {
                elements.append(trimmed(start..<index))
                start = index + 1
            }
            elements.append(trimmed(start..<field.value.upperBound))
        }
        return found ? elements.filter { !$0.isEmpty } : nil
    }

    /// The body framing the head declares (RFC 9112 §6.3).
    func framing(of fields: [RawField]) throws(HTTPParseError) -> BodyFraming {
        let lengths = listElements(named: "content-length", in: fields)
        guard let codings = listElements(named: "transfer-encoding", in: fields) else {
            guard let lengths else { return .none }
            return .length(try contentLength(lengths))
        }
        // Both headers is the classic request-smuggling vector: two parsers can disagree on where the body ends.
        // RFC 9112 §6.1 allows answering such a message with 400 instead of ignoring Content-Length, so we do.
        guard lengths == nil else { throw .bad("both Transfer-Encoding and Content-Length are present") }
        guard !codings.isEmpty else { throw .bad("empty Transfer-Encoding") }
        if let other = codings.first(where: { !equalsIgnoringCase($0, "chunked") }) {
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[other]), as: UTF8.self)
            throw HTTPParseError(status: 501, reason: "transfer coding \(name) is not supported")
        }
        guard codings.count == 1 else { throw .bad("chunked transfer coding applied more than once") }
        return .chunked
    }

    /// The one length every Content-Length element agrees on.
    func contentLength(_ elements: [Range<Int>]) throws(HTTPParseError) -> Int {
        guard let first = elements.first, let length = number(first, radix: 10) else {
            throw .bad("Content-Length is not a non-negative decimal number")
        }
        for element in elements.dropFirst() where number(element, radix: 10) != length {
            throw .bad("conflicting Content-Length values")
        }
        return length
    }

    /// The digits in `range` as a number that saturates at `Int.max`, or nil when a byte is not a digit.
    func number(_ range: Range<Int>, radix: Int) -> Int? {
        guard !range.isEmpty else { return nil }
        var value = 0
        for index in range {
            guard let digit = bytes[index].hexDigitValue, digit < radix else { return nil }
            value = value > (Int.max - digit) / radix ? Int.max : value * radix + digit
        }
        return value
    }

    /// The body delimited by `framing` starting at `start` and the index after it; nil while it is still arriving.
    func body(_ framing: BodyFraming, from start: Int, maxBodyBytes: Int, maxTrailerBytes: Int)
        throws(HTTPParseError) -> (body: [UInt8], end: Int)?
    {
        switch framing {
        case .none:
            return ([], start)
        case .length(let length):
            guard length <= maxBodyBytes else { throw .bodyTooLarge(maxBodyBytes) }
            guard bytes.count - start >= length else { return nil }
            return (Array(UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])), start + length)
        case .chunked:
            return try chunkedBody(from: start, maxBodyBytes: maxBodyBytes, maxTrailerBytes: maxTrailerBytes)
        }
    }

    /// A de-chunked body; chunk extensions are skipped and trailer fields checked, then dropped (RFC 9112 §7.1).
    func chunkedBody(from start: Int, maxBodyBytes: Int, maxTrailerBytes: Int) throws(HTTPParseError)
        -> (body: [UInt8], end: Int)?
    {
        var cursor = start
        var chunks: [Range<Int>] = []
        var total = 0
        while true {
            let lineLimit = limit(from: cursor, maxBytes: Self.maxChunkLineBytes)
            let tooLong = HTTPParseError.bad("chunk size line exceeds \(Self.maxChunkLineBytes) bytes")
            guard let lf = try lineEnd(from: cursor, limit: lineLimit, tooLong: tooLong) else { return nil }
            let size = try chunkSize(content(from: cursor, lineEnd: lf))
            cursor = lf + 1
            if size == 0 { break }
            guard size <= maxBodyBytes - total else { throw .bodyTooLarge(maxBodyBytes) }
            total += size
            guard let next = try indexAfterChunkData(cursor + size) else { return nil }
            chunks.append(cursor..<cursor + size)
            cursor = next
        }
        let trailerLimit = limit(from: cursor, maxBytes: maxTrailerBytes)
        let tooLarge = HTTPParseError(status: 431, reason: "trailer section exceeds \(maxTrailerBytes) bytes")
        guard let trailers = try fields(from: cursor, limit: trailerLimit, tooLong: tooLarge) else { return nil }
        var body: [UInt8] = []
        body.reserveCapacity(total)
        for chunk in chunks { body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[chunk])) }
        return (body, trailers.end)
    }

    /// The hexadecimal size at the start of a chunk-size line; what follows may only be `;` extensions.
    func chunkSize(_ line: Range<Int>) throws(HTTPParseError) -> Int {
        var digitsEnd = line.lowerBound
        while digitsEnd < line.upperBound, bytes[digitsEnd].hexDigitValue != nil { digitsEnd += 1 }
        guard let size = number(line.lowerBound..<digitsEnd, radix: 16) else { throw .bad("bad chunk size") }
        let rest = trimmed(digitsEnd..<line.upperBound)
        guard rest.isEmpty || (bytes[rest.lowerBound] == .semicolon && rest.allSatisfy({ bytes[$0].isFieldContent }))
        else { throw .bad("bad chunk size") }
        return size
    }

    /// The index after the line ending that must follow chunk data ending at `dataEnd`; nil while it has not arrived.
    func indexAfterChunkData(_ dataEnd: Int) throws(HTTPParseError) -> Int? {
        guard dataEnd < bytes.count else { return nil }
        if bytes[dataEnd] == .lf { return dataEnd + 1 }
        guard bytes[dataEnd] == .cr else { throw .bad("chunk data is not followed by a line ending") }
        guard dataEnd + 1 < bytes.count else { return nil }
        guard bytes[dataEnd + 1] == .lf else { throw .bad("chunk data is not followed by a line ending") }
        return dataEnd + 2
    }
}

extension HTTPScanner {
    /// The bytes as a `String`, refusing invalid UTF-8 instead of replacing it, so a log never shows a value the
    /// sender did not send.
    func string(_ range: Range<Int>, what: @autoclosure () -> String) throws(HTTPParseError) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard slice.allSatisfy({ $0 < 0x80 }) || Self.isValidUTF8(slice) else {
            throw .bad("\(what()) is not valid UTF-8")
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// The fields as `HTTPHeaders`; names are tokens (ASCII), values are checked for UTF-8.
    func headers(_ fields: [RawField]) throws(HTTPParseError) -> HTTPHeaders {
        var pairs: [(name: String, value: String)] = []
        pairs.reserveCapacity(fields.count)
        for field in fields {
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[field.name]), as: UTF8.self)
            pairs.append((name, try string(field.value, what: "value of header \(name)")))
        }
        return HTTPHeaders(pairs)
    }

    /// The minor version of an `HTTP/1.x` version field; other 1.x and major versions are answered 505.
    func minorVersion(_ range: Range<Int>) throws(HTTPParseError) -> Int {
        let start = range.lowerBound
        guard range.count == 8, bytes[start] == UInt8(ascii: "H"), bytes[start + 1] == UInt8(ascii: "T"),
            bytes[start + 2] == UInt8(ascii: "T"), bytes[start + 3] == UInt8(ascii: "P"),
            bytes[start + 4] == UInt8(ascii: "/"),
            let major = bytes[start + 5].decimalDigitValue, bytes[start + 6] == .dot,
            let minor = bytes[start + 7].decimalDigitValue
        else { throw .bad("malformed HTTP version") }
        guard major == 1, minor <= 1 else {
            throw HTTPParseError(status: 505, reason: "HTTP/\(major).\(minor) is not supported")
        }
        return minor
    }

    /// Strict UTF-8 (no overlong forms, no surrogates), done with the standard library's decoder for portability.
    static func isValidUTF8(_ slice: UnsafeRawBufferPointer) -> Bool {
        var iterator = slice.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

extension UInt8 {
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
    static let dot = UInt8(ascii: ".")

    /// Space or horizontal tab, the only whitespace HTTP allows inside a line.
    var isWhitespace: Bool { self == .space || self == .tab }

    /// A `tchar` of RFC 9110 §5.6.2: what methods and field names are made of.
    var isToken: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Visible ASCII, whitespace or a non-ASCII byte: anything but control characters (RFC 9110 §5.5).
    var isFieldContent: Bool { self == .tab || (self >= 0x20 && self != 0x7F) }

    /// A visible character of a request target or a non-ASCII byte (checked later as UTF-8).
    var isTargetByte: Bool { self > 0x20 && self != 0x7F }

    /// 0–9 for a decimal digit, else nil.
    var decimalDigitValue: Int? { self >= 0x30 && self <= 0x39 ? Int(self - 0x30) : nil }

    /// 0–15 for a hexadecimal digit, else nil.
    var hexDigitValue: Int? {
        switch self {
        case 0x30...0x39: Int(self - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(self - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(self - UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
