/// Why received bytes are not an acceptable HTTP message, carrying the status the server answers with.
///
/// A value, not a thrown string, so the connection can answer and log the same fault without parsing text.
public struct HTTPParseError: Error, Sendable, Equatable {
    /// The status to answer: 400 malformed, 413 body too large, 431 head too large, 501 unsupported transfer
    /// coding, 505 unsupported version. The response parser uses the same codes for the same faults.
    public let status: Int
    /// One human line, such as "header block exceeds 8192 bytes".
    public let reason: String

    /// For callers that refuse a message for their own reasons (a router's 405) in the same shape.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    static func bad(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 400, reason: reason)
    }

    static func bodyTooLarge(_ maxBodyBytes: Int) -> HTTPParseError {
        HTTPParseError(status: 413, reason: "body exceeds \(maxBodyBytes) bytes")
    }

    static func headTooLarge(_ maxHeaderBytes: Int) -> HTTPParseError {
        HTTPParseError(status: 431, reason: "header block exceeds \(maxHeaderBytes) bytes")
    }
}

/// What the bytes received so far hold.
public enum HTTPParseResult: Sendable, Equatable {
    /// No complete request yet: keep every byte and read more. `expectsContinue` is true once the whole head has
    /// arrived with `Expect: 100-continue` (HTTP/1.1) and the body has not; the connection answers
    /// `HTTPResponse.continueLine` once so the client sends the body.
    case incomplete(expectsContinue: Bool)
    /// The first request in the buffer; drop `consumed` bytes before parsing the next (pipelined) one.
    case request(HTTPRequest, consumed: Int)
}

/// Decodes HTTP/1.0 and HTTP/1.1 requests from the bytes a connection has buffered.
///
/// Stateless: each call looks at the buffer from its first byte and consumes nothing until a whole request is
/// there, so the caller only keeps bytes and drops `consumed` of them. It rejects, with the status to answer, what
/// RFC 9112 lets a server reject and what would let a front proxy and itrack disagree on where a request ends.
/// It does not demand a Host header: some tracker firmware omits it, and itrack does not route by host.
public struct HTTPRequestParser: Sendable {
    /// The largest request line plus header block, blank line included; more is answered 431.
    public let maxHeaderBytes: Int
    /// The largest (de-chunked) body; more is answered 413, for Content-Length before the body is sent.
    public let maxBodyBytes: Int

    /// The defaults fit every tracker request seen so far with room to spare, while keeping a connection's
    /// buffer bounded.
    public init(maxHeaderBytes: Int = 8192, maxBodyBytes: Int = 65536) {
        precondition(maxHeaderBytes > 0 && maxBodyBytes >= 0, "HTTP limits must be positive")
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// The first complete request in `buffer`, or `.incomplete`; throws when the bytes can never become a request.
    public func parse(_ buffer: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPParseResult {
        let scanner = HTTPScanner(bytes: buffer)
        guard let lineStart = scanner.skipEmptyLines(from: 0) else { return .incomplete(expectsContinue: false) }
        let headLimit = scanner.limit(from: 0, maxBytes: maxHeaderBytes)
        guard let lf = try scanner.lineEnd(from: lineStart, limit: headLimit, tooLong: .headTooLarge(maxHeaderBytes))
        else {
            try rejectNonTokenStart(scanner, from: lineStart)
            return .incomplete(expectsContinue: false)
        }
        let line = try requestLine(scanner.content(from: lineStart, lineEnd: lf), in: scanner)
        guard let head = try scanner.fields(from: lf + 1, limit: headLimit, tooLong: .headTooLarge(maxHeaderBytes))
        else {
            return .incomplete(expectsContinue: false)
        }
        let framing = try scanner.framing(of: head.fields)
        guard
            let body = try scanner.body(
                framing, from: head.end, maxBodyBytes: maxBodyBytes, maxTrailerBytes: maxHeaderBytes)
        else {
            return .incomplete(expectsContinue: line.minorVersion >= 1 && expectsContinue(head.fields, scanner))
        }
        let request = HTTPRequest(
            method: String(decoding: UnsafeRawBufferPointer(rebasing: buffer[line.method]), as: UTF8.self),
            target: try scanner.string(line.target, what: "request target"), minorVersion: line.minorVersion,
            headers: try scanner.headers(head.fields), body: body.body)
        return .request(request, consumed: body.end)
    }

    /// The same as the buffer-pointer form, for bytes held in an array.
    public func parse(_ bytes: [UInt8]) throws(HTTPParseError) -> HTTPParseResult {
        try parse(bytes[...])
    }

    /// The same as the buffer-pointer form, for a connection buffer that drops consumed bytes by slicing.
    public func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPParseResult {
        try bytes.withUnsafeBytes { buffer in Result { () throws(HTTPParseError) in try parse(buffer) } }.get()
    }

    /// Byte positions of a request line's parts.
    private struct RequestLine {
        var method: Range<Int>
        var target: Range<Int>
        var minorVersion: Int
    }

    /// `METHOD SP request-target SP HTTP-version`, single spaces only (RFC 9112 §3).
    private func requestLine(_ line: Range<Int>, in scanner: HTTPScanner) throws(HTTPParseError) -> RequestLine {
        let bytes = scanner.bytes
        guard let methodEnd = line.first(where: { bytes[$0] == .space }),
            let targetEnd = (methodEnd + 1..<line.upperBound).first(where: { bytes[$0] == .space })
        else { throw .bad("request line is not METHOD SP target SP version") }
        let method = line.lowerBound..<methodEnd
        guard !method.isEmpty, method.allSatisfy({ bytes[$0].isToken }) else {
            throw .bad("request method is not a token")
        }
        let target = methodEnd + 1..<targetEnd
        guard !target.isEmpty, target.allSatisfy({ bytes[$0].isTargetByte }) else {
            throw .bad("request target is empty or holds spaces or control characters")
        }
        let minor = try scanner.minorVersion(targetEnd + 1..<line.upperBound)
        return RequestLine(method: method, target: target, minorVersion: minor)
    }

    /// Rejects at once a peer that is not speaking HTTP (a TLS hello, a binary device protocol on the wrong port)
    /// instead of buffering up to the header limit for a request line that never ends.
    private func rejectNonTokenStart(_ scanner: HTTPScanner, from start: Int) throws(HTTPParseError) {
        for index in start..<scanner.bytes.count {
            let byte = scanner.bytes[index]
            if byte == .space { return }
            guard byte.isToken else { throw .bad("request does not start with a method") }
        }
    }

    /// Whether the head asks for `100 Continue` before the client sends the body (RFC 9110 §10.1.1).
    private func expectsContinue(_ fields: [RawField], _ scanner: HTTPScanner) -> Bool {
        scanner.listElements(named: "expect", in: fields)?.contains { scanner.equalsIgnoringCase($0, "100-continue") }
            ?? false
    }
}
