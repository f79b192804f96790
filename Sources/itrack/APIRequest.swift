import Foundation
import TrackProtocols
import TrackWire

/// What the API handlers read from an HTTP request: query and form parameters, cookies and credentials.
struct APIRequest {
    let http: HTTPRequest
    /// Query parameters, then form body parameters, by name.
    let parameters: [String: [String]]

    init(_ http: HTTPRequest) throws(QueryStringDecoder.Failure) {
        self.http = http
        var parameters: [String: [String]] = [:]
        for parameter in try QueryStringDecoder.decode(Array((http.query ?? "").utf8)) {
            parameters[parameter.name, default: []] += parameter.values
        }
        if http.headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true {
            for parameter in try QueryStringDecoder.decode(http.body) {
                parameters[parameter.name, default: []] += parameter.values
            }
        }
        for name in Self.idParameters where parameters[name]?.contains(where: { Int64($0) == nil }) == true {
            throw QueryStringDecoder.Failure(reason: "\(name) must be a whole number", offset: 0)
        }
        self.parameters = parameters
    }

    /// Parameters that hold ids wherever they appear (Traccar's `long` parameters). A value that is not a number
    /// is refused rather than dropped: a dropped filter would answer with more than was asked for.
    static let idParameters = ["id", "deviceId", "groupId", "userId", "geofenceId"]

    func first(_ name: String) -> String? { parameters[name]?.first }

    func all(_ name: String) -> [String] { parameters[name] ?? [] }

    /// Every value of an id parameter (`idParameters`) as a number; `init` has refused any that is not one.
    func ids(_ name: String) -> [Int] { all(name).compactMap { Int($0) } }

    /// The `JSESSIONID` cookie, Traccar's (Jetty's) session cookie name.
    var sessionCookie: String? {
        for header in http.headers.values("Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "JSESSIONID" {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }

    enum Credentials {
        case basic(email: String, password: String)
        case bearer(String)
    }

    /// From the `Authorization` header: `Basic` (email or login, password) or `Bearer` (an access token).
    var credentials: Credentials? {
        guard let header = http.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8),
                  let colon = text.firstIndex(of: ":")
            else { return nil }
            return .basic(email: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        case "bearer":
            return .bearer(String(parts[1]))
        default:
            return nil
        }
    }
}
