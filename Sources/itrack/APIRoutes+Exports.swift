import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// `/api/positions/gpx|csv|geojson`: a device's track for a time range as a file, streamed.
extension APIRoutes {
    /// Rows read per query, and so the most a stream holds at once besides what waits for the client.
    static let exportPage = 1000

    /// Answers the request when it asks for an export; nil otherwise.
    func exportResource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        let parts = http.path.split(separator: "/").map(String.init)  // ["api", "positions", format]
        guard http.method == "GET" || http.method == "HEAD", parts.count == 3, parts[1] == "positions",
              let format = PositionExportFormat(rawValue: parts[2])
        else { return nil }
        guard let (from, to) = range(request) else { return rangeRequired }
        return try export(request, user: user, format: format, from: from, to: to)
    }

    /// A device's track as GPX, CSV or GeoJSON. The device is looked up now, so a wrong one still gets a 404; the
    /// rows are read and sent page by page once the head is out (`HTTPStreamedBody`).
    private func export(_ request: APIRequest, user: StoredUser, format: PositionExportFormat, from: Date, to: Date)
        throws -> HTTPResponse
    {
        guard let deviceId = request.first("deviceId").flatMap({ Int($0) }) else {
            return .text(400, "deviceId is required")
        }
        let device = try database.with { try AccountStore(connection: $0).devices(for: user, ids: [deviceId]).first }
        guard let device else { return .text(404, "no device \(deviceId)") }
        let body = HTTPStreamedBody { [database, logger] writer in
            do {
                try Self.writeTrack(of: device, format: format, from: from, to: to, database: database, to: writer)
            } catch let gone as HTTPClientGone {
                logger.info("export abandoned by the client", metadata: ["deviceId": "\(deviceId)"])
                throw gone
            }
        }
        var response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", format.contentType)]),
                                    stream: body)
        response.headers.add("Content-Disposition",
                             "attachment; filename=\"device-\(deviceId).\(format.fileExtension)\"")
        return response
    }

    /// Header, rows, footer. A database connection is taken for each page's query and given back before its rows
    /// are written, so a client that reads slowly holds up nobody's API calls, only its own download.
    private static func writeTrack(of device: StoredDevice, format: PositionExportFormat, from: Date, to: Date,
                                   database: APIDatabase, to writer: any HTTPBodyWriter) throws {
        try writer.write(format.header(device: device))
        var cursor: PositionHistory.Cursor?
        var first = true
        repeat {
            let page = try database.with {
                try PositionHistory(connection: $0).page(deviceId: device.id, from: from, to: to, after: cursor,
                                                         batch: exportPage)
            }
            for position in page.positions {
                try writer.write(format.row(position, first: first))
                first = false
            }
            cursor = page.next
        } while cursor != nil
        try writer.write(format.footer)
    }
}
