import TrackWire

/// A message a decoder refused, with enough to answer the device and to replay the failure.
///
/// Where Traccar throws and closes the connection without a response, itrack answers 400 with
/// `reason` as the body, so a phone app or a developer with curl sees what was wrong. `raw` holds
/// the request as received so one log line can be turned back into a fixture.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The protocol whose decoder refused the message (`osmand`).
    public let protocolName: String
    /// One line saying what was wrong, e.g. `latitude 91.0 is outside -90…90`.
    public let reason: String
    /// The offending request-target and body; bytes outside printable ASCII are written `\xNN`.
    public let raw: String

    public init(protocolName: String, reason: String, raw: String) {
        self.protocolName = protocolName
        self.reason = reason
        self.raw = raw
    }

    /// An error for an HTTP request, keeping its target and body as `raw`.
    public init(protocolName: String, reason: String, request: HTTPRequest) {
        var raw = Self.escaped(Array(request.target.utf8))
        if !request.body.isEmpty {
            raw += " " + Self.escaped(request.body)
        }
        self.init(protocolName: protocolName, reason: reason, raw: raw)
    }

    /// `protocol: reason`, the text logged and counted.
    public var description: String { "\(protocolName): \(reason)" }

    /// Bytes as one printable line: printable ASCII kept, backslash doubled, everything else `\xNN`.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        text.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text
    }
}
