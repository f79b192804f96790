import Foundation
import TrackCore

/// The server's half of the RFC 6455 §4.2 opening handshake: whether a request may switch to WebSocket, and the
/// answer either way.
///
/// It checks only the protocol. Who may connect (token or session cookie, Origin) is the route's decision, made
/// before or after this. No subprotocol or extension is ever selected, so `Sec-WebSocket-Protocol` and
/// `Sec-WebSocket-Extensions` are ignored and frames stay uncompressed.
public enum WebSocketHandshake: Sendable, Equatable {
    /// Write `response` (101, no body) and speak WebSocket from the next byte in both directions.
    case accept(HTTPResponse)
    /// Not a usable upgrade: 400 for a malformed request, 426 for a version other than 13. Answer `response`
    /// and close.
    case reject(HTTPParseError)

    /// The only protocol version RFC 6455 defines; anything else gets 426 naming it.
    public static let version = "13"

    /// Checks `request` in the order a client's mistakes are most likely to be diagnosed by: method, HTTP version,
    /// the two upgrade headers, the WebSocket version, then the key.
    public init(_ request: HTTPRequest) {
        let headers = request.headers
        if request.method != "GET" {
            self = .reject(.bad("WebSocket upgrade must be a GET, not \(request.method)"))
        } else if request.minorVersion < 1 {
            self = .reject(.bad("WebSocket upgrade needs HTTP/1.1"))
        } else if !Self.hasToken("websocket", in: headers.values("Upgrade")) {
            self = .reject(.bad("not a WebSocket upgrade: no Upgrade: websocket header"))
        } else if !Self.hasToken("upgrade", in: headers.values("Connection")) {
            self = .reject(.bad("WebSocket upgrade without Connection: Upgrade"))
        } else if headers.values("Sec-WebSocket-Version") != [Self.version] {
            self = .reject(HTTPParseError(status: 426, reason: "only WebSocket version 13 is supported"))
        } else if let key = Self.key(headers) {
            self = .accept(
                HTTPResponse(
                    status: 101,
                    headers: HTTPHeaders([
                        ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                        ("Sec-WebSocket-Accept", Self.acceptValue(key)),
                    ])))
        } else {
            self = .reject(.bad("Sec-WebSocket-Key is not one base64-encoded 16-byte value"))
        }
    }

    /// What to write: the 101, or the refusal as one text line; a 426 also names the version the server speaks,
    /// which RFC 6455 §4.4 asks for so the client can retry with it.
    public var response: HTTPResponse {
        switch self {
        case .accept(let response):
            return response
        case .reject(let error):
            var response = HTTPResponse.text(error.status, error.reason)
            if error.status == 426 { response.headers.add("Sec-WebSocket-Version", Self.version) }
            return response
        }
    }

    /// Whether a comma-separated header list holds `token`, compared without case (RFC 9110 §5.6.1).
    private static func hasToken(_ token: String, in values: [String]) -> Bool {
        values.contains { value in
            value.split(separator: ",").contains { item in
                String(item.trimmingCharacters(in: " \t")).caseInsensitiveEquals(token)
            }
        }
    }

    /// The client's nonce: exactly one `Sec-WebSocket-Key` that decodes to 16 bytes (RFC 6455 §4.1).
    private static func key(_ headers: HTTPHeaders) -> String? {
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, let bytes = Data(base64Encoded: keys[0]), bytes.count == 16 else { return nil }
        return keys[0]
    }

    /// base64(SHA-1(key + the RFC's GUID)): proof to the client that the server read its handshake as WebSocket.
    private static func acceptValue(_ key: String) -> String {
        Data(SHA1.hash(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
    }
}
