import Logging

/// Talks to one S3 bucket (AWS or any S3-compatible server) over libcurl, signing each request with SigV4.
///
/// Calls block until S3 answers, so use the client from a thread of its own (the archive has one), and from one
/// thread at a time: it owns a single libcurl handle, which keeps its connection open between requests. Every
/// failure is an `S3Error`; nothing is retried here, since only the caller knows whether a request is worth
/// repeating (`S3Error.isRetryable` says whether it can be).
public final class S3Client: @unchecked Sendable {
    // @unchecked: the libcurl handle is only used by one call at a time, as the type's contract says.

    let settings: Settings
    let curl: CurlEasy
    let logger: Logger

    /// The bucket every call works on.
    public var bucket: String { settings.bucket }

    /// Makes the libcurl handle; connects only with the first request.
    /// - Throws: `S3Error` when libcurl cannot be set up, or (not retryable) when `endpoint` is not an
    ///   `http://` or `https://` URL.
    public init(settings: Settings, logger: Logger = Logger(label: "itrack.s3")) throws(S3Error) {
        guard settings.url(key: nil) != nil else {
            throw S3Error(
                kind: .transport, operation: "Configure", resource: settings.bucket,
                message: "the endpoint must be an http:// or https:// URL, got '\(settings.endpoint)'", curlCode: 3)
        }
        do {
            curl = try CurlEasy(
                region: settings.region, accessKey: settings.accessKey, secretKey: settings.secretKey,
                timeout: settings.timeout)
        } catch {
            throw S3Error(
                kind: .transport, operation: "Configure", resource: settings.bucket, message: error.message,
                curlCode: error.code)
        }
        self.settings = settings
        self.logger = logger
    }

    /// Creates the bucket (for tests and first-time setup); one this account already owns is fine.
    public func createBucket() throws(S3Error) {
        // Outside us-east-1, AWS wants the region named in the body as well as in the signature.
        var headers: [String] = []
        var body = ""
        if settings.region != "us-east-1" {
            headers = ["Content-Type: application/xml"]
            body = """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
                <LocationConstraint>\(S3XML.escaped(settings.region))</LocationConstraint></CreateBucketConfiguration>
                """
        }
        do {
            try send("CreateBucket", key: nil, .put, headers: headers, body: Array(body.utf8))
        } catch {
            guard error.code == "BucketAlreadyOwnedByYou" else { throw error }
        }
    }

    /// Stores `body` as `key`, replacing any object already there, and returns its ETag as S3 sent it (quoted).
    @discardableResult
    public func putObject(key: String, body: [UInt8], contentType: String) throws(S3Error) -> String {
        let response = try send("PutObject", key: key, .put, headers: ["Content-Type: \(contentType)"], body: body)
        return try header("ETag", of: response, operation: "PutObject", key: key)
    }

    /// The whole object.
    /// - Throws: `S3Error` with status 404 and code `NoSuchKey` when there is none.
    public func getObject(key: String) throws(S3Error) -> [UInt8] {
        try send("GetObject", key: key, .get).body
    }

    /// The object's size in bytes and its ETag (quoted, as S3 sent it), or nil when there is no such object.
    public func headObject(key: String) throws(S3Error) -> (size: Int, etag: String)? {
        let response = try send("HeadObject", key: key, .head, accepting: [404])
        guard response.status != 404 else { return nil }
        let length = try header("Content-Length", of: response, operation: "HeadObject", key: key)
        guard let size = Int(length) else {
            throw malformed("HeadObject", key: key, "Content-Length '\(length)' is not a number")
        }
        return (size, try header("ETag", of: response, operation: "HeadObject", key: key))
    }

    /// Deletes the object; deleting one that does not exist succeeds too (S3 answers 204 either way).
    public func deleteObject(key: String) throws(S3Error) {
        try send("DeleteObject", key: key, .delete)
    }

    /// Every object whose key starts with `prefix`, in key order, fetched `pageSize` at a time (S3 caps a page at
    /// 1000) with ListObjectsV2 continuation tokens.
    public func listObjects(prefix: String, pageSize: Int = 1000) throws(S3Error) -> [(key: String, size: Int)] {
        var objects: [(key: String, size: Int)] = []
        var next: [(String, String)] = []
        repeat {
            let query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(pageSize))] + next
            let page = S3XML(try send("ListObjectsV2", key: nil, .get, query: query).body)
            for entry in page.elements("Contents") {
                guard let key = entry.value("Key"), let size = entry.value("Size").flatMap({ Int($0) }) else {
                    throw malformed("ListObjectsV2", key: nil, "a <Contents> entry lacks its <Key> or <Size>")
                }
                objects.append((key, size))
            }
            next = try nextPage(
                page, markers: [("NextContinuationToken", "continuation-token")], previous: next,
                operation: "ListObjectsV2")
        } while !next.isEmpty
        return objects
    }
}
