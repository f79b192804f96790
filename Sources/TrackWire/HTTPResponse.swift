/// A response to write: status, extra headers and a body. Content-Length and Connection are added on write.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// A body made while it is sent, in place of `body`: chunked for HTTP/1.1, unframed and ended by closing the
    /// connection for HTTP/1.0 (see `serializedStreamHead` and `HTTPStreamedBody`).
    public var stream: HTTPStreamedBody?

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
                stream: HTTPStreamedBody? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// A `text/plain` response with a one-line reason, the shape itrack uses for every error.
    public static func text(_ status: Int, _ line: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]),
            body: Array((line + "\n").utf8))
    }

    /// 200 with an empty body: what phones get once their position is committed.
    public static let ok = HTTPResponse(status: 200)
}
