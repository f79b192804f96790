/// Splits and decodes `application/x-www-form-urlencoded` text the way Netty 4.1's `QueryStringDecoder`
/// does, because that is what Traccar's OsmAnd decoder sees and phone apps were written against it.
///
/// - `&` and `;` separate parameters; a `#` ends the text; a leading `?` is skipped.
/// - The first `=` splits name from value; a parameter without `=` has an empty value; an `=` at the
///   very start of a parameter is skipped (`=a` is the name `a`), as in Netty.
/// - `%XX` is decoded and `+` becomes a space, in names and values alike.
/// - Names are case-sensitive; parameters with the same name are grouped under the first one's place,
///   values kept in arrival order (Netty's `LinkedHashMap<String, List<String>>`).
/// - At most `maxParameters` values are kept; the rest is ignored, as Netty does.
///
/// One deliberate difference: Netty throws on a broken `%` escape but silently turns bytes that are not
/// UTF-8 into U+FFFD. Both throw `Failure` here, so the server can answer 400 instead of storing
/// mangled text.
public enum QueryStringDecoder {
    /// One parameter name with every value it was given, in order.
    public struct Parameter: Sendable, Equatable {
        public let name: String
        public internal(set) var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// Why the text could not be decoded, with the byte offset of the problem.
    public struct Failure: Error, Sendable, Equatable {
        public let reason: String
        public let offset: Int

        public init(reason: String, offset: Int) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// Netty's default limit on the number of values decoded from one text.
    public static let maxParameters = 1024

    /// Distinct names looked up by linear search before a dictionary takes over.
    static let linearSearchLimit = 32

    /// Decodes `text` (a request-target's query or a form body) into parameters in Netty's order.
    public static func decode(_ text: some Collection<UInt8>) throws(Failure) -> [Parameter] {
        let bytes = Array(text)
        var parameters: [Parameter] = []
        // A phone sends about ten names, which a linear search finds sooner than hashing would; a text with many
        // distinct names gets a dictionary once it has `linearSearchLimit` of them, so it cannot go quadratic.
        var indexByName: [String: Int]?
        var count = 0
        var nameStart = bytes.first == UInt8(ascii: "?") ? 1 : 0
        var valueStart: Int?
        var index = nameStart

        func add(upTo end: Int) throws(Failure) {
            guard nameStart < end else { return }
            let nameEnd = valueStart.map { $0 - 1 } ?? end
            let name = try component(bytes, nameStart..<nameEnd)
            let value = try component(bytes, (valueStart ?? end)..<end)
            let existing = indexByName.map { $0[name] } ?? parameters.firstIndex { $0.name == name }
            if let existing {
                parameters[existing].values.append(value)
            } else {
                indexByName?[name] = parameters.count
                parameters.append(Parameter(name: name, values: [value]))
                if indexByName == nil, parameters.count == linearSearchLimit {
                    indexByName = Dictionary(uniqueKeysWithValues: parameters.indices.map { (parameters[$0].name, $0) })
                }
            }
            count += 1
        }

        scan: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "="):
                if nameStart == index {
                    nameStart = index + 1
                } else if valueStart == nil {
                    valueStart = index + 1
                }
            case UInt8(ascii: "&"), UInt8(ascii: ";"):
                try add(upTo: index)
                if count == maxParameters { return parameters }
                nameStart = index + 1
                valueStart = nil
            case UInt8(ascii: "#"):
                break scan
            default:
                break
            }
            index += 1
        }
        try add(upTo: index)
        return parameters
    }

    /// Percent-decodes one name or value and checks that the result is UTF-8.
    static func component(_ bytes: [UInt8], _ range: Range<Int>) throws(Failure) -> String {
        // Most names and values are plain ASCII with nothing to decode: no copy to make, nothing to validate.
        if !bytes[range].contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
            return String(decoding: bytes[range], as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < range.upperBound else {
                    throw Failure(reason: "unterminated percent escape", offset: index)
                }
                guard let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else {
                    throw Failure(reason: "invalid percent escape", offset: index)
                }
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw Failure(reason: "text is not valid UTF-8 after percent-decoding", offset: range.lowerBound)
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
