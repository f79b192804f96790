/// What the bytes a client received so far hold.
public enum HTTPResponseParseResult: Sendable, Equatable {
    /// No complete response yet: keep every byte and read more.
    case incomplete
    /// The first response in the buffer (a `100 Continue` comes as its own response with status 100); drop
    /// `consumed` bytes before parsing the next one.
    case response(HTTPResponse, consumed: Int)
}

/// Decodes HTTP/1.x responses for clients: `itrack replay` and tests that talk to a running server.
///
/// Same contract as `HTTPRequestParser`: stateless, nothing consumed until a whole response is there. Bodies must
/// be delimited by Content-Length or chunked coding, which is all itrack's server sends; a body that ends when the
/// connection closes is refused with 501 rather than guessed at. Errors use the request parser's statuses for the
/// same faults (400 malformed, 413/431 too large).
public struct HTTPResponseParser: Sendable {
    /// The largest status line plus header block; more throws 431.
    public let maxHeaderBytes: Int
    /// The largest (de-chunked) body; more throws 413.
    public let maxBodyBytes: Int

    /// The default body limit is larger than the server's because API answers (position lists) outgrow requests.
    public init(maxHeaderBytes: Int = 8192, maxBodyBytes: Int = 16 << 20) {
        precondition(maxHeaderBytes > 0 && maxBodyBytes >= 0, "HTTP limits must be positive")
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// The first complete response in `buffer`, or `.incomplete`.
    ///
    /// Pass `bodyless: true` when the request was HEAD: its response carries the GET's Content-Length but no body,
    /// which only the caller knows.
    public func parse(_ buffer: UnsafeRawBufferPointer, bodyless: Bool = false) throws(HTTPParseError)
        -> HTTPResponseParseResult
    {
        let scanner = HTTPScanner(bytes: buffer)
        guard let lineStart = scanner.skipEmptyLines(from: 0) else { return .incomplete }
        let headLimit = scanner.limit(from: 0, maxBytes: maxHeaderBytes)
        guard let lf = try scanner.lineEnd(from: lineStart, limit: headLimit, tooLong: .headTooLarge(maxHeaderBytes))
        else { return .incomplete }
        let status = try statusCode(scanner.content(from: lineStart, lineEnd: lf), in: scanner)
        guard let head = try scanner.fields(from: lf + 1, limit: headLimit, tooLong: .headTooLarge(maxHeaderBytes))
        else { return .incomplete }
        // RFC 9112 §6.3: these responses end with their head whatever their headers say.
        let hasBody = !bodyless && status >= 200 && status != 204 && status != 304
        let framing = hasBody ? try scanner.framing(of: head.fields) : .none
        guard !hasBody || framing != .none else {
            throw HTTPParseError(status: 501, reason: "response body delimited by connection close is not supported")
        }
        guard
            let body = try scanner.body(
                framing, from: head.end, maxBodyBytes: maxBodyBytes, maxTrailerBytes: maxHeaderBytes)
        else { return .incomplete }
        let response = HTTPResponse(status: status, headers: try scanner.headers(head.fields), body: body.body)
        return .response(response, consumed: body.end)
    }

    /// The same as the buffer-pointer form, for bytes held in an array.
    public func parse(_ bytes: [UInt8], bodyless: Bool = false) throws(HTTPParseError) -> HTTPResponseParseResult {
        try parse(bytes[...], bodyless: bodyless)
    }

    /// The same as the buffer-pointer form, for a receive buffer that drops consumed bytes by slicing.
    public func parse(_ bytes: ArraySlice<UInt8>, bodyless: Bool = false) throws(HTTPParseError)
        -> HTTPResponseParseResult
    {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(HTTPParseError) in try parse(buffer, bodyless: bodyless) }
        }.get()
    }

    /// The status of `HTTP-version SP 3DIGIT SP [reason-phrase]`; a missing last space is tolerated.
    private func statusCode(_ line: Range<Int>, in scanner: HTTPScanner) throws(HTTPParseError) -> Int {
        let bytes = scanner.bytes
        let versionEnd = line.lowerBound + 8
        let codeEnd = versionEnd + 4
        guard line.count >= 12, bytes[versionEnd] == .space,
            let code = scanner.number(versionEnd + 1..<codeEnd, radix: 10), code >= 100
        else { throw .bad("status line is not HTTP-version SP 3DIGIT SP reason") }
        _ = try scanner.minorVersion(line.lowerBound..<versionEnd)
        let reason = codeEnd..<line.upperBound
        guard reason.isEmpty || (bytes[codeEnd] == .space && reason.allSatisfy({ bytes[$0].isFieldContent })) else {
            throw .bad("status line is not HTTP-version SP 3DIGIT SP reason")
        }
        return code
    }
}
