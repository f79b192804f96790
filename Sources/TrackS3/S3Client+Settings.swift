extension S3Client {
    /// Where the bucket is and how to sign for it.
    ///
    /// Printing or dumping settings shows the access key but never the secret, so they may go into logs.
    public struct Settings: Sendable {
        /// `http(s)://host[:port]`, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:27333`.
        public var endpoint: String
        /// The SigV4 signing region, e.g. `eu-west-1` (`us-east-1` for most S3-compatible servers).
        public var region: String
        public var bucket: String
        /// `endpoint/bucket/key` when true (SeaweedFS, MinIO, moto); `bucket.endpoint-host/key` (virtual-hosted,
        /// AWS's default) when false.
        public var pathStyle: Bool
        public var accessKey: String
        public var secretKey: String
        /// How long connecting may take, and how long a request may go without moving a byte, before it fails
        /// (retryably). Not a limit on a whole request: a large part on a slow link may take longer.
        public var timeout: Duration

        public init(
            endpoint: String, region: String, bucket: String, pathStyle: Bool, accessKey: String, secretKey: String,
            timeout: Duration = .seconds(30)
        ) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.pathStyle = pathStyle
            self.accessKey = accessKey
            self.secretKey = secretKey
            self.timeout = timeout
        }

        /// The URL of `key` in the bucket, or of the bucket itself when `key` is nil, with `query` in SigV4's
        /// canonical form. Nil when `endpoint` is not an `http://` or `https://` URL.
        func url(key: String?, query: [(String, String)] = []) -> String? {
            var base = Substring(endpoint)
            while base.hasSuffix("/") { base = base.dropLast() }
            guard let schemeEnd = base.range(of: "://"), ["http", "https"].contains(base[..<schemeEnd.lowerBound])
            else { return nil }
            let path = key.map { "/" + S3URIEncoding.path($0) }
            let located =
                pathStyle
                ? base + "/" + bucket + (path ?? "")
                : base[..<schemeEnd.upperBound] + bucket + "." + base[schemeEnd.upperBound...] + (path ?? "/")
            return located + S3URIEncoding.query(query)
        }
    }
}

extension S3Client.Settings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "bucket \(bucket) at \(endpoint) (\(pathStyle ? "path" : "virtual-hosted") style, region \(region), "
            + "access key \(accessKey), timeout \(timeout))"
    }

    public var debugDescription: String { description }

    /// What `dump` shows: everything but the secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "endpoint": endpoint, "region": region, "bucket": bucket, "pathStyle": pathStyle,
                "accessKey": accessKey, "timeout": timeout,
            ])
    }
}
