/// Reads the few elements itrack needs from S3's XML answers (`UploadId`, `Key`, `Size`, `Code`, `Message`, …).
///
/// Not a general XML parser: S3's answers are flat records whose element names do not nest inside themselves, so
/// finding `<Name>…</Name>` by its tags is enough, and a 30-line scanner is easier to trust than a parser
/// dependency. Attributes, comments and CDATA sections are not interpreted; text is entity-decoded.
struct S3XML: Sendable {
    private let bytes: ArraySlice<UInt8>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes[...]
    }

    init(_ text: String) {
        self.init(Array(text.utf8))
    }

    private init(slice: ArraySlice<UInt8>) {
        bytes = slice
    }

    /// The name of the outermost element, after any `<?xml …?>` declaration and comments: `Error` for an error
    /// answer, which S3 may send with status 200 on CompleteMultipartUpload.
    var rootName: String? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] != UInt8(ascii: "<") {
                index += 1
                continue
            }
            let next = index + 1
            guard next < bytes.endIndex else { return nil }
            if bytes[next] == UInt8(ascii: "?") || bytes[next] == UInt8(ascii: "!") {
                index = next
                continue
            }
            let end = bytes[next...].firstIndex { Self.endsName($0) } ?? bytes.endIndex
            return String(decoding: bytes[next..<end], as: UTF8.self)
        }
        return nil
    }

    /// The decoded text of the first `<name>` element, or nil when there is none; `<name/>` is "".
    func value(_ name: String) -> String? {
        firstElement(name, from: bytes.startIndex).map { Self.decode(bytes[$0.content]) }
    }

    /// The content of every `<name>` element in order, each readable on its own: the `<Contents>` entries of a
    /// listing, the `<Upload>` entries of a multipart listing.
    func elements(_ name: String) -> [S3XML] {
        var found: [S3XML] = []
        var from = bytes.startIndex
        while let element = firstElement(name, from: from) {
            found.append(S3XML(slice: bytes[element.content]))
            from = element.end
        }
        return found
    }

    /// The first `<name …>…</name>` or `<name/>` at or after `from`: its content's range and where it ends.
    private func firstElement(_ name: String, from: Int) -> (content: Range<Int>, end: Int)? {
        let open = Array("<\(name)".utf8)
        let close = Array("</\(name)".utf8)
        var search = from
        while let start = Self.find(open, in: bytes, from: search) {
            let afterName = start + open.count
            guard afterName < bytes.endIndex, Self.endsName(bytes[afterName]) else {
                search = afterName  // a longer name with this prefix, e.g. `<KeyCount>` for `Key`
                continue
            }
            guard let tagEnd = bytes[afterName...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            if bytes[tagEnd - 1] == UInt8(ascii: "/") { return (tagEnd + 1..<tagEnd + 1, tagEnd + 1) }
            var closeSearch = tagEnd + 1
            while let closeStart = Self.find(close, in: bytes, from: closeSearch) {
                let afterClose = closeStart + close.count
                if let end = bytes[afterClose...].firstIndex(where: { !Self.isSpace($0) }),
                    bytes[end] == UInt8(ascii: ">")
                {
                    return (tagEnd + 1..<closeStart, end + 1)
                }
                closeSearch = afterClose
            }
            return nil
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var index = from
        while let candidate = haystack[index...].firstIndex(of: first) {
            guard candidate + needle.count <= haystack.endIndex else { return nil }
            if haystack[candidate..<candidate + needle.count].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || isSpace(byte)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }
}
