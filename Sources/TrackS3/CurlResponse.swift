internal import CCurl

/// The answer to one request, filled in by libcurl's write and header callbacks as it arrives.
///
/// A class so the callbacks can reach it through the opaque pointer `CurlEasy` hands libcurl (not retained:
/// `CurlEasy.perform` keeps it alive for the transfer).
final class CurlResponse {
    var status = 0
    /// The final answer's headers in arrival order; those of an interim `100 Continue` are dropped.
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []

    /// The first header called `name`, compared case-insensitively as HTTP names are.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    static let receiveBody: itrack_curl_data_callback = { buffer, size, count, context in
        guard let context else { return 0 }
        let response = Unmanaged<CurlResponse>.fromOpaque(context).takeUnretainedValue()
        response.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: size * count))
        return size * count
    }

    /// libcurl calls this once per header line, status lines included, CRLF still attached.
    static let receiveHeader: itrack_curl_data_callback = { buffer, size, count, context in
        guard let context else { return 0 }
        let response = Unmanaged<CurlResponse>.fromOpaque(context).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: size * count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            response.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingWhitespace
            let value = line[line.index(after: colon)...].trimmingWhitespace
            response.headers.append((String(name), String(value)))
        }
        return size * count
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
