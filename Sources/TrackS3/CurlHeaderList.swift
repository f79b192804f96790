internal import CCurl

/// Owns a `curl_slist` of request header lines for one transfer; freed when the transfer is done with it.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) throws(CurlError) {
        for line in lines {
            guard let longer = curl_slist_append(pointer, line) else {
                // curl_slist_append leaves the list as it was when it cannot allocate; deinit frees it.
                throw CurlError(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            pointer = longer
        }
    }

    deinit { curl_slist_free_all(pointer) }
}
