import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// Users and server statistics: the administrator's part of the API.
extension APIRoutes {
    /// Answers the request when it is about users or statistics; nil otherwise.
    func userResource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        let parts = http.path.split(separator: "/").map(String.init)  // ["api", resource, id?]
        switch (http.method, parts.dropFirst().first ?? "", parts.count) {
        case ("GET", "users", 2):
            guard user.administrator else { return .text(403, "only administrators list users") }
            let users = try database.with { try AccountStore(connection: $0).allUsers() }
            return json(200, JSONText.array(users.map(\.traccarJSON)))
        case ("GET", "statistics", 2):
            guard user.administrator else { return .text(403, "only administrators read statistics") }
            guard let (from, to) = range(request) else { return rangeRequired }
            let days = try database.with { try AccountStore(connection: $0).statistics(from: from, to: to) }
            return json(200, JSONText.array(days.map { day in
                JSONText.object([
                    ("id", "0"), ("attributes", "{}"), ("captureTime", JSONText.quoted(TraccarTime.text(day.day))),
                    ("activeUsers", "0"), ("activeDevices", String(day.devices)), ("requests", "0"),
                    ("messagesReceived", String(day.stored)), ("messagesStored", String(day.stored)), ("mailSent", "0"),
                    ("smsSent", "0"), ("geocoderRequests", "0"), ("geolocationRequests", "0"),
                ])
            }))
        default:
            return nil
        }
    }
}
