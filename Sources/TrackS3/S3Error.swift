/// An S3 request that failed: what was asked, and either the server's answer (HTTP status, S3 `<Code>` and
/// `<Message>`) or libcurl's reason the request never got one.
///
/// Never carries credentials: messages come from the server's error body or from libcurl, neither of which
/// repeats the secret, and `S3Client` scrubs both anyway.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No HTTP answer: connection refused, DNS, TLS, timeout. `curlCode` and `message` say which.
        case transport
        /// The server answered with an error status, or with an `<Error>` body (see `status`, `code`).
        case server
        /// A success status whose answer lacked what the operation needs (e.g. no `<UploadId>`).
        case malformedResponse
    }

    public let kind: Kind
    /// The S3 action, e.g. `PutObject` or `CompleteMultipartUpload`.
    public let operation: String
    /// `bucket` or `bucket/key`, as given (not URL-encoded).
    public let resource: String
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// S3's error code, e.g. `SignatureDoesNotMatch`, `NoSuchKey`, `SlowDown`.
    public let code: String?
    /// S3's `<Message>`, or libcurl's `curl_easy_strerror` text and error buffer, or what was missing.
    public let message: String
    /// libcurl's `CURLcode` for a transport failure, e.g. 7 (`CURLE_COULDNT_CONNECT`).
    public let curlCode: Int?

    public init(
        kind: Kind, operation: String, resource: String, status: Int? = nil, code: String? = nil, message: String,
        curlCode: Int? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.resource = resource
        self.status = status
        self.code = code
        self.message = message
        self.curlCode = curlCode
    }

    /// True when the same request may succeed later: transport failures (except a URL or scheme libcurl cannot
    /// use at all), 5xx, 429, and the codes S3 uses for throttling and its own faults.
    public var isRetryable: Bool {
        switch kind {
        case .transport:
            return !Self.permanentCurlCodes.contains(curlCode ?? 0)
        case .server:
            if let status, status >= 500 || status == 429 { return true }
            return code.map(Self.retryableCodes.contains) ?? false
        case .malformedResponse:
            return false
        }
    }

    /// `CURLE_UNSUPPORTED_PROTOCOL` and `CURLE_URL_MALFORMAT`: a wrong endpoint setting, which no retry fixes.
    private static let permanentCurlCodes: Set<Int> = [1, 3]

    /// Codes that can also arrive without a 5xx status: inside a 200 answer to CompleteMultipartUpload, or as a
    /// 400 for a connection the server found too slow.
    private static let retryableCodes: Set<String> = ["SlowDown", "RequestTimeout", "InternalError"]

    /// One line, e.g. `S3 PutObject archive/a.csv.gz: HTTP 403 SignatureDoesNotMatch: The request signature …`.
    public var description: String {
        let answer = [status.map { "HTTP \($0)" }, code].compactMap { $0 }.joined(separator: " ")
        return "S3 \(operation) \(resource): " + (answer.isEmpty ? "" : answer + ": ") + message
    }
}
