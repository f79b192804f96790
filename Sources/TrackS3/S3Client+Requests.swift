import TrackCore

extension S3Client {
    /// Sends one signed request and returns the answer when its status is 2xx or in `accepting`; any other
    /// answer, or none, becomes an `S3Error` naming `operation` and the object.
    @discardableResult
    func send(
        _ operation: String, key: String?, _ method: CurlRequest.Method, query: [(String, String)] = [],
        headers: [String] = [], body: [UInt8] = [], accepting: Set<Int> = []
    ) throws(S3Error) -> CurlResponse {
        let resource = key.map { "\(bucket)/\($0)" } ?? bucket
        // Never nil: init refused settings whose endpoint is not an http(s) URL, and only the endpoint can fail.
        let url = settings.url(key: key, query: query)!
        // S3 requires the payload's hash as a header, and libcurl 7.88 neither adds it nor hashes the body
        // itself; sent as a header, it is what libcurl signs.
        let payloadHash = SHA256.hex(SHA256.hash(body))
        let request = CurlRequest(
            method: method, url: url, headers: headers + ["x-amz-content-sha256: \(payloadHash)"], body: body)
        let started = ContinuousClock.now
        let response: CurlResponse
        do {
            response = try curl.perform(request)
        } catch {
            logger.debug("s3 \(operation) \(resource) failed: \(scrubbed(error.message))")
            throw S3Error(
                kind: .transport, operation: operation, resource: resource, message: scrubbed(error.message),
                curlCode: error.code)
        }
        logger.debug(
            "s3 \(operation) \(resource): HTTP \(response.status)",
            metadata: [
                "bytesSent": "\(body.count)", "bytesReceived": "\(response.body.count)",
                "duration": "\(ContinuousClock.now - started)",
            ])
        guard (200..<300).contains(response.status) || accepting.contains(response.status) else {
            throw serverError(operation, resource: resource, response: response)
        }
        return response
    }

    /// The error S3 described in its XML body (`<Code>`, `<Message>`), or as much as an answer without one says.
    func serverError(_ operation: String, resource: String, response: CurlResponse) -> S3Error {
        let document = S3XML(response.body)
        let message: String
        if let text = document.value("Message") {
            message = text
        } else if response.body.isEmpty {
            message = "the answer has no body"  // HEAD answers never have one
        } else {
            // Not S3's XML (a proxy's HTML page, say): its start is the best clue there is.
            message = String(decoding: response.body.prefix(200), as: UTF8.self)
        }
        return S3Error(
            kind: .server, operation: operation, resource: resource, status: response.status,
            code: document.value("Code"), message: scrubbed(message))
    }

    /// A header a successful answer must carry.
    func header(_ name: String, of response: CurlResponse, operation: String, key: String) throws(S3Error)
        -> String
    {
        guard let value = response.header(name) else { throw malformed(operation, key: key, "no \(name) header") }
        return value
    }

    /// The query parameters that ask for the page after `page`, or none when `page` was the last: each of
    /// `markers` (`(element, parameter)`, e.g. `("NextContinuationToken", "continuation-token")`) the answer
    /// carries. Those missing are left out, since SeaweedFS sends only `NextUploadIdMarker` where AWS sends it with
    /// `NextKeyMarker` (and takes it alone). A page that names no next page, or the same one again, is an error
    /// rather than a loop that never ends.
    func nextPage(
        _ page: S3XML, markers: [(element: String, parameter: String)], previous: [(String, String)],
        operation: String
    ) throws(S3Error) -> [(String, String)] {
        guard page.value("IsTruncated") == "true" else { return [] }
        let next = markers.compactMap { marker in
            page.value(marker.element).flatMap { $0.isEmpty ? nil : (marker.parameter, $0) }
        }
        guard !next.isEmpty else {
            throw malformed(operation, key: nil, "a truncated listing names no next page")
        }
        guard !next.elementsEqual(previous, by: ==) else {
            throw malformed(operation, key: nil, "a truncated listing names the same next page again")
        }
        return next
    }

    func malformed(_ operation: String, key: String?, _ message: String) -> S3Error {
        S3Error(
            kind: .malformedResponse, operation: operation, resource: key.map { "\(bucket)/\($0)" } ?? bucket,
            message: message)
    }

    /// `text` with the secret key blotted out. Neither S3 nor libcurl is known to echo it, but an error message
    /// ends up in logs, and a leaked secret cannot be taken back.
    private func scrubbed(_ text: String) -> String {
        settings.secretKey.isEmpty ? text : text.replacing(settings.secretKey, with: "<secret>")
    }
}
