/// One complete HTTP/1.x request with its body de-chunked.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request-target exactly as sent (`/?id=1&lat=2`).
    public var target: String
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = HTTPHeaders(),
                body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
        self.body = body
    }

    /// The target before `?`.
    public var path: Substring {
        target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
    }

    /// The raw query after `?` (without any `#fragment`), or nil when there is no `?`.
    public var query: Substring? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        let rest = target[target.index(after: mark)...]
        return rest.firstIndex(of: "#").map { rest[..<$0] } ?? rest
    }

    /// Whether the connection stays open after the response (HTTP/1.1 default, HTTP/1.0 opt-in).
    public var keepAlive: Bool {
        let tokens = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingCharacters(in: " \t")) }
        if tokens.contains(where: { $0.caseInsensitiveEquals("close") }) { return false }
        if minorVersion == 0 { return tokens.contains { $0.caseInsensitiveEquals("keep-alive") } }
        return true
    }

    public var isHead: Bool { method == "HEAD" }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return s
    }
}
