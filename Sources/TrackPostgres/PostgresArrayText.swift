/// A one-dimensional array literal (`{"a","b",NULL}`) built element by element as bytes, every element quoted
/// and escaped, for the text parameters of lookups and analytics writes. (A batch of positions goes in binary:
/// `PostgresArrayBinary`.)
struct PostgresArrayText {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private(set) var count = 0

    init() {}

    init(_ elements: [String?]) {
        bytes.reserveCapacity(elements.count * 16 + 2)
        for element in elements { append(element) }
    }

    mutating func append(_ element: String?) {
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        count += 1
        guard let element else {
            bytes.append(contentsOf: "NULL".utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in element.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    var text: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }
}
