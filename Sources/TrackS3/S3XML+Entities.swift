extension S3XML {
    /// Element text with its entities replaced: the five named ones and numeric references, which SeaweedFS (Go's
    /// encoding/xml) uses for quotes, e.g. `<ETag>&#34;9b2cf5…&#34;</ETag>`. An unknown or malformed reference
    /// is kept as written rather than failing the whole answer.
    static func decode(_ text: ArraySlice<UInt8>) -> String {
        guard text.contains(UInt8(ascii: "&")) else { return String(decoding: text, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "&"), let semicolon = text[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")),
                let scalar = entity(String(decoding: text[index + 1..<semicolon], as: UTF8.self))
            {
                out += Array(String(Character(scalar)).utf8)
                index = semicolon + 1
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` made safe as element content (for the CompleteMultipartUpload body).
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The character an entity name (between `&` and `;`) stands for.
    private static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.first == "#" else { return nil }
            let digits = name.dropFirst()
            let hex = digits.first == "x" || digits.first == "X"
            return UInt32(hex ? String(digits.dropFirst()) : String(digits), radix: hex ? 16 : 10)
                .flatMap(Unicode.Scalar.init)
        }
    }
}
