/// Percent-encoding as SigV4 wants it (AWS's `UriEncode`): every byte of the UTF-8 form except `A–Z a–z 0–9 - _ . ~`
/// becomes `%XX` with uppercase hex.
///
/// libcurl signs the path and query exactly as they appear in the URL, and S3 compares the signature against its
/// own canonical form of the decoded key, so the URL must already be in that canonical form: a key such as
/// `dt=2026-11-28/part 0.csv.gz` signed any other way gets 403 SignatureDoesNotMatch.
enum S3URIEncoding {
    /// An object key as a URL path: each segment encoded, the `/` between segments kept.
    static func path(_ key: String) -> String {
        encode(key, keepingSlash: true)
    }

    /// A query parameter name or value: `/` is encoded too.
    static func component(_ text: String) -> String {
        encode(text, keepingSlash: false)
    }

    /// `?name=value&…` from `(name, value)` pairs, sorted by name as the canonical request sorts them, or "" for
    /// none. Every parameter keeps its `=`, even with an empty value: curl 7.88 signs a bare `?uploads` differently
    /// from S3.
    static func query(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        // SigV4 sorts by the encoded names' bytes, then values'; for this ASCII text String's `<` is byte order.
        let sorted = parameters.map { (component($0.0), component($0.1)) }.sorted { $0 < $1 }
        return "?" + sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
