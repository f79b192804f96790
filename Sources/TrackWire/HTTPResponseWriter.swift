extension HTTPResponse {
    /// The interim response that tells a client sending `Expect: 100-continue` to go on with the body.
    public static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// The response as HTTP/1.1 bytes, ready to write to the socket.
    ///
    /// The writer owns framing: `Content-Length`, `Transfer-Encoding` and `Connection` in `headers` are replaced by
    /// what it computes, so a handler can never announce a length or a connection state the bytes do not match.
    /// `Content-Length` is the body's length even when `headOnly` (a HEAD answer states what GET would send), and is
    /// left out for 1xx and 204, which RFC 9110 §8.6 forbids it on. `keepAlive: false` adds `Connection: close`.
    /// A `stream` is not written here: its head comes from `serializedStreamHead`.
    public func serialized(headOnly: Bool, keepAlive: Bool) -> [UInt8] {
        if status == 200, headers.fields.isEmpty, body.isEmpty {
            return keepAlive ? Self.emptyOK : Self.emptyOKClosing
        }
        var out: [UInt8] = []
        out.reserveCapacity(128 + (allowsBody && !headOnly ? body.count : 0))
        appendHead(framing: allowsBody ? ("Content-Length", String(body.count)) : nil, keepAlive: keepAlive, to: &out)
        if allowsBody && !headOnly { out.append(contentsOf: body) }
        return out
    }

    /// A phone's every acknowledgement, built once: `200` with no fields and no body.
    private static let emptyOK = HTTPResponse.ok.serializedWithoutBody(keepAlive: true)
    private static let emptyOKClosing = HTTPResponse.ok.serializedWithoutBody(keepAlive: false)

    private func serializedWithoutBody(keepAlive: Bool) -> [UInt8] {
        var out: [UInt8] = []
        appendHead(framing: ("Content-Length", "0"), keepAlive: keepAlive, to: &out)
        return out
    }

    /// The head of a response whose body is `stream`, which follows as `HTTPBodyFramer` frames it: with
    /// `Transfer-Encoding: chunked` when `chunked` (HTTP/1.1); otherwise with no framing field and `Connection: close`,
    /// as then only the connection's close can end the body. A HEAD answer gets the same head.
    public func serializedStreamHead(keepAlive: Bool, chunked: Bool) -> [UInt8] {
        var out: [UInt8] = []
        appendHead(framing: allowsBody && chunked ? ("Transfer-Encoding", "chunked") : nil,
                   keepAlive: keepAlive && chunked, to: &out)
        return out
    }

    /// Whether the status allows a body, and so a framing field (RFC 9110 §8.6, RFC 9112 §6.1).
    public var allowsBody: Bool { status >= 200 && status != 204 }

    /// Status line, the handler's fields but framing ones, the writer's framing field, `Connection`, blank line.
    private func appendHead(framing: (name: String, value: String)?, keepAlive: Bool, to out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 \(status) \(Self.reasonPhrase(status))\r\n".utf8)
        for field in headers where !Self.isFramingField(field.name) {
            appendField(field.name, field.value, to: &out)
        }
        if let framing { appendField(framing.name, framing.value, to: &out) }
        if !keepAlive { appendField("Connection", "close", to: &out) }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// A `101 Switching Protocols` answer: its headers as given, `Connection: Upgrade` included (the one case
    /// where the handler, not the writer, decides the connection's fate), and no body.
    public func serializedUpgrade() -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "HTTP/1.1 101 \(Self.reasonPhrase(101))\r\n".utf8)
        for field in headers where !field.name.caseInsensitiveEquals("Content-Length")
            && !field.name.caseInsensitiveEquals("Transfer-Encoding") {
            appendField(field.name, field.value, to: &out)
        }
        out.append(contentsOf: "\r\n".utf8)
        return out
    }

    /// The standard reason phrase for `status`; a code itrack does not use gets its class name
    /// ("Client Error"), which clients ignore anyway.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: classPhrase(status)
        }
    }

    private static func classPhrase(_ status: Int) -> String {
        switch status / 100 {
        case 1: "Informational"
        case 2: "Success"
        case 3: "Redirection"
        case 4: "Client Error"
        case 5: "Server Error"
        default: "Unknown"
        }
    }

    private static func isFramingField(_ name: String) -> Bool {
        name.caseInsensitiveEquals("Content-Length") || name.caseInsensitiveEquals("Transfer-Encoding")
            || name.caseInsensitiveEquals("Connection")
    }

    /// Appends `name: value` CRLF; a CR or LF in the value becomes a space so a value can never split the response.
    private func appendField(_ name: String, _ value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        for byte in value.utf8 { out.append(byte == .cr || byte == .lf ? .space : byte) }
        out.append(contentsOf: "\r\n".utf8)
    }
}
