internal import CCurl

/// One HTTP request as `CurlEasy` sends it: the URL is final (encoded, with its query).
struct CurlRequest {
    enum Method: String {
        case get = "GET"
        case head = "HEAD"
        case put = "PUT"
        case post = "POST"
        case delete = "DELETE"
    }

    var method: Method
    var url: String
    /// Complete header lines, e.g. `Content-Type: application/xml`.
    var headers: [String]
    /// Sent for PUT and POST (possibly empty); ignored otherwise.
    var body: [UInt8] = []
}

/// libcurl's reason a transfer failed: its `CURLcode`, `curl_easy_strerror`'s text and the error buffer's detail.
struct CurlError: Error {
    let code: Int
    let message: String
}

/// Owns one libcurl easy handle that signs every request with SigV4 (`CURLOPT_AWS_SIGV4`).
///
/// The handle is reused so its connection stays open between requests (keep-alive); `curl_easy_reset` clears the
/// previous request's options first, so nothing of one request (a body pointer, a method) leaks into the next.
/// Not thread-safe: one request at a time.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// Where libcurl writes a failed transfer's detail (`CURLOPT_ERRORBUFFER`), e.g. "Failed to connect to …".
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let signing: String
    private let accessKey: String
    private let secretKey: String
    private let timeoutMilliseconds: Int
    /// libcurl's "no progress" limit: whole seconds, at least one.
    private let stallSeconds: Int

    /// `curl_global_init` must run once before any handle exists, and is not safe to race; a static `let` runs it
    /// exactly once, on first use.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(region: String, accessKey: String, secretKey: String, timeout: Duration) throws(CurlError) {
        let initResult = Self.globalInit
        guard initResult == CURLE_OK else { throw CurlError(initResult, detail: "curl_global_init") }
        guard let handle = curl_easy_init() else {
            throw CurlError(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        signing = "aws:amz:\(region):s3"
        self.accessKey = accessKey
        self.secretKey = secretKey
        let (seconds, attoseconds) = timeout.components
        timeoutMilliseconds = max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
        stallSeconds = max(1, (timeoutMilliseconds + 999) / 1000)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// Sends `request` and returns the final answer, whatever its status; throws only when there is no answer.
    func perform(_ request: CurlRequest) throws(CurlError) -> CurlResponse {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        let headers = try CurlHeaderList(request.headers)
        let response = CurlResponse()
        // The body's bytes, the header list and the response collector must all outlive curl_easy_perform.
        let outcome: Result<Void, CurlError> = withExtendedLifetime((headers, response)) {
            request.body.withUnsafeBytes { body in
                Result { () throws(CurlError) in
                    try configure(request, body: body, headers: headers, response: response)
                    let result = curl_easy_perform(handle)
                    guard result == CURLE_OK else { throw CurlError(result, detail: String(cString: errorBuffer)) }
                }
            }
        }
        try outcome.get()
        var status = 0
        let read = itrack_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard read == CURLE_OK else { throw CurlError(read, detail: "reading the response status") }
        response.status = status
        return response
    }

    private func configure(
        _ request: CurlRequest, body: UnsafeRawBufferPointer, headers: CurlHeaderList, response: CurlResponse
    ) throws(CurlError) {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, request.url)
        // Timeouts by signal would hit whichever thread gets it; libcurl's threaded resolver needs none.
        try set(CURLOPT_NOSIGNAL, 1)
        // Keys may hold `..` or `//`, which curl would otherwise "normalise" away, signing a different object.
        try set(CURLOPT_PATH_AS_IS, 1)
        try set(CURLOPT_AWS_SIGV4, signing)
        // Apart, not as CURLOPT_USERPWD's "key:secret", so a key holding `:` cannot shift into the secret.
        try set(CURLOPT_USERNAME, accessKey)
        try set(CURLOPT_PASSWORD, secretKey)
        try set(CURLOPT_CONNECTTIMEOUT_MS, timeoutMilliseconds)
        // A stall limit rather than a total one: a large part on a slow link may take long, but never stand still.
        try set(CURLOPT_LOW_SPEED_LIMIT, 1)
        try set(CURLOPT_LOW_SPEED_TIME, stallSeconds)
        try check(itrack_curl_setopt_list(handle, CURLOPT_HTTPHEADER, headers.pointer), "CURLOPT_HTTPHEADER")
        let context = Unmanaged.passUnretained(response).toOpaque()
        try check(itrack_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, CurlResponse.receiveBody), "write")
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(itrack_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, CurlResponse.receiveHeader), "header")
        try set(CURLOPT_HEADERDATA, pointer: context)
        switch request.method {
        case .get:
            break
        case .head:
            try set(CURLOPT_NOBODY, 1)
        case .delete:
            try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        case .put, .post:
            // POSTFIELDS sends the bytes in place (no copy) and makes a POST; CUSTOMREQUEST renames it to PUT. An
            // empty array may have no address, and libcurl needs one even for a zero-length body.
            try check(itrack_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "size")
            let start = body.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
            try set(CURLOPT_POSTFIELDS, pointer: start ?? UnsafeMutableRawPointer(errorBuffer))
            if request.method == .put { try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
        }
    }

    private func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(itrack_curl_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        // libcurl copies string options (since 7.17), so the C string need only live for the call.
        try check(itrack_curl_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws(CurlError) {
        try check(itrack_curl_setopt_pointer(handle, option, pointer), "option \(option.rawValue)")
    }

    private func check(_ code: CURLcode, _ what: String) throws(CurlError) {
        guard code == CURLE_OK else { throw CurlError(code, detail: "setting \(what)") }
    }
}

extension CurlError {
    /// `curl_easy_strerror`'s sentence for `code`, then `detail` (the error buffer) when it adds something.
    init(_ code: CURLcode, detail: String) {
        let reason = String(cString: curl_easy_strerror(code))
        self.init(code: Int(code.rawValue), message: detail.isEmpty ? reason : "\(reason): \(detail)")
    }
}
