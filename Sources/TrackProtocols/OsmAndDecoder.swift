import Foundation
import TrackCore
import TrackWire

/// Decodes one OsmAnd-protocol HTTP request (Traccar Client, OsmAnd, GPSLogger and other phone apps,
/// port 5055) into a device report, following Traccar's `OsmAndProtocolDecoder`.
///
/// Method and path are ignored, as in Traccar. A `Content-Type` starting with `application/json` selects
/// the JSON format of Traccar Client 9.x (`OsmAndDecoder+JSON.swift`); anything else is the query/form
/// format (`OsmAndDecoder+Query.swift`). The decoder is pure: "now" comes in as a value, and looking up the
/// device, storing the position and answering are the server's job.
///
/// Where Traccar throws and closes the connection without an answer, this decoder throws `DecodeError` and
/// the server answers 400 with the reason. It also refuses what Traccar would store as garbage:
/// non-finite numbers, latitudes outside ±90, longitudes outside ±180, an empty device id, device ids
/// longer than 128 characters, and times outside the years 1–9999 (which the database cannot store, so one
/// such report would fail the whole batch it is committed with).
public struct OsmAndDecoder: Sendable {
    /// The name stored in `tc_positions.protocol`.
    public static let protocolName = "osmand"
    /// Device ids longer than this are refused; Traccar's column allows more, but no phone sends them.
    public static let maxUniqueIdLength = 128

    public let speedUnit: SpeedUnit
    /// JSON `coords.accuracy` below this many metres is stored as 0 (Traccar's `osmand.minAccuracy`).
    public let minAccuracy: Double

    public init(speedUnit: SpeedUnit = .knots, minAccuracy: Double = 10) {
        self.speedUnit = speedUnit
        self.minAccuracy = minAccuracy
    }

    /// Decodes a complete request; `now` becomes the fix time of reports that carry none.
    ///
    /// Throws `DecodeError` with a one-line reason for anything Traccar would refuse or that is not a
    /// plausible position; the server answers it with 400.
    public func decode(_ request: HTTPRequest, receivedAt now: Date) throws(DecodeError) -> DeviceReport {
        do throws(Rejection) {
            if let contentType = request.headers["Content-Type"], contentType.hasPrefix("application/json") {
                return try decodeJSON(request.body)
            }
            return try decodeQuery(request, receivedAt: now)
        } catch {
            throw DecodeError(protocolName: Self.protocolName, reason: error.reason, request: request)
        }
    }

    /// Why a request was refused; `decode` adds the request itself to make a `DecodeError`.
    struct Rejection: Error {
        let reason: String

        init(_ reason: String) { self.reason = reason }
    }

    /// A device id trimmed the way Traccar stores ids, refused when empty or too long.
    static func uniqueId(_ value: String) throws(Rejection) -> String {
        // A printable ASCII byte at each end is a character that is not whitespace: nothing to trim, and no
        // Unicode property lookups, which were most of this function's cost per report.
        if let first = value.utf8.first, let last = value.utf8.last, printableASCII.contains(first),
            printableASCII.contains(last), value.utf8.count <= maxUniqueIdLength
        {
            return value
        }
        var trimmed = Substring(value)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        guard !trimmed.isEmpty else { throw Rejection("device id is empty") }
        guard trimmed.count <= maxUniqueIdLength else {
            throw Rejection("device id is longer than \(maxUniqueIdLength) characters")
        }
        return String(trimmed)
    }

    private static let printableASCII = UInt8(ascii: "!")...UInt8(ascii: "~")

    /// `value` when it is finite; NaN and infinities are never stored.
    static func finite(_ value: Double, _ name: String) throws(Rejection) -> Double {
        guard value.isFinite else { throw Rejection("\(name) \(value) is not a finite number") }
        return value
    }

    static func latitude(_ value: Double) throws(Rejection) -> Double {
        guard try finite(value, "latitude").magnitude <= 90 else {
            throw Rejection("latitude \(value) is outside -90…90")
        }
        return value
    }

    static func longitude(_ value: Double) throws(Rejection) -> Double {
        guard try finite(value, "longitude").magnitude <= 180 else {
            throw Rejection("longitude \(value) is outside -180…180")
        }
        return value
    }

    /// The instants a report may carry: 0001-01-01T00:00:00Z up to, not including, year 10000.
    static let plausibleTimes =
        Date(timeIntervalSince1970: -62_135_596_800)..<Date(timeIntervalSince1970: 253_402_300_800)

    /// `time` when it lies in `plausibleTimes`; `value` is the text the device sent, for the reason.
    static func plausible(_ time: Date, from value: String, _ name: String) throws(Rejection) -> Date {
        guard plausibleTimes.contains(time) else {
            throw Rejection("\(name) \(quoted(value)) is outside the years 1–9999")
        }
        return time
    }

    /// A device-supplied value for a one-line reason: quoted, escaped, cut after 64 bytes.
    static func quoted(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let shown = DecodeError.escaped(Array(bytes.prefix(64))).replacingOccurrences(of: "\"", with: "\\\"")
        return "\"" + shown + (bytes.count > 64 ? "…" : "") + "\""
    }

    /// A report without coordinates: the server fills them from the device's last fix (Traccar's
    /// OutdatedHandler), and it is not a valid fix of its own.
    static func outdatedPosition(at time: Date) -> Position {
        Position(protocolName: protocolName, deviceTime: time, fixTime: time, valid: false, outdated: true)
    }
}
