import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// `/api/positions/gpx|csv|geojson`: a device's track for a time range as a file.
extension APIRoutes {
    /// Answers the request when it asks for an export; nil otherwise.
    func exportResource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        let parts = http.path.split(separator: "/").map(String.init)  // ["api", "positions", format]
        guard http.method == "GET", parts.count == 3, parts[1] == "positions",
              let format = PositionExportFormat(rawValue: parts[2])
        else { return nil }
        guard let (from, to) = range(request) else { return rangeRequired }
        return try export(request, user: user, format: format, from: from, to: to)
    }

    /// A device's track as GPX, CSV or GeoJSON, read page by page.
    private func export(_ request: APIRequest, user: StoredUser, format: PositionExportFormat, from: Date, to: Date)
        throws -> HTTPResponse
    {
        guard let deviceId = request.first("deviceId").flatMap({ Int($0) }) else {
            return .text(400, "deviceId is required")
        }
        let body: [UInt8]? = try database.with { connection in
            guard let device = try AccountStore(connection: connection).devices(for: user, ids: [deviceId]).first else {
                return nil
            }
            var out = Array(format.header(device: device).utf8)
            var first = true
            try PositionHistory(connection: connection).each(deviceId: deviceId, from: from, to: to) { page in
                for position in page {
                    out.append(contentsOf: format.row(position, first: first).utf8)
                    first = false
                }
                return true
            }
            out.append(contentsOf: format.footer.utf8)
            return out
        }
        guard let body else { return .text(404, "no device \(deviceId)") }
        var response = HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", format.contentType)]), body: body)
        response.headers.add("Content-Disposition",
                             "attachment; filename=\"device-\(deviceId).\(format.fileExtension)\"")
        return response
    }
}
