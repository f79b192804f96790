import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// Users and server statistics, as Traccar's `UserResource` and `StatisticsResource` with registration off: only
/// administrators add, delete or list others; anyone reads and edits themselves, short of their own rights.
extension APIRoutes {
    /// Answers the request when it is about users or statistics; nil otherwise.
    func userResource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        let parts = http.path.split(separator: "/").map(String.init)  // ["api", resource, id?]
        let id = parts.count == 3 ? Int(parts[2]) : nil
        if parts.count == 3, parts[1] == "users", id == nil { return .text(400, "user id \(parts[2]) is not a number") }
        switch (http.method, parts.dropFirst().first ?? "", id) {
        case ("GET", "users", nil) where parts.count == 2:
            let users = try database.with { try UserStore(connection: $0).users(for: user) }
            return json(200, JSONText.array(users.map(\.traccarJSON)))
        case ("GET", "users", let id?):
            guard user.administrator || id == user.id else { return .text(403, "only administrators read other users") }
            return try database.with { try UserStore(connection: $0).user(id: id) }
                .map { json(200, $0.traccarJSON) } ?? .text(404, "no user \(id)")
        case ("POST", "users", nil) where parts.count == 2:
            guard user.administrator else {
                return .text(403, "registration is disabled: only administrators add users")
            }
            let (created, password) = try StoredUser.read(json: http.body, over: nil)
            return json(200, try database.with {
                try UserStore(connection: $0).create(created, password: password ?? "")
            }.traccarJSON)
        case ("PUT", "users", let id?):
            return try updateUser(id: id, body: http.body, by: user)
        case ("DELETE", "users", let id?):
            guard user.administrator else { return .text(403, "only administrators delete users") }
            guard id != user.id else { return .text(403, "administrators cannot delete themselves") }
            return try database.with { try UserStore(connection: $0).delete(id: id) }
                ? HTTPResponse(status: 204) : .text(404, "no user \(id)")
        case ("GET", "statistics", nil) where parts.count == 2:
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

    /// `PUT /api/users/{id}`: an administrator edits anyone; others only themselves, and not their own rights,
    /// device limit or a later expiry (Traccar's `checkUserUpdate`). Members the body leaves out keep their value.
    private func updateUser(id: Int, body: [UInt8], by user: StoredUser) throws -> HTTPResponse {
        guard user.administrator || id == user.id else { return .text(403, "only administrators edit other users") }
        return try database.with { connection in
            let store = UserStore(connection: connection)
            guard let before = try store.user(id: id) else { return .text(404, "no user \(id)") }
            let (after, password) = try StoredUser.read(json: body, over: before)
            if !user.administrator, let member = after.privilegeChange(from: before) {
                return .text(403, "only administrators change \(member)")
            }
            return try store.update(after, password: password).map { json(200, $0.traccarJSON) }
                ?? .text(404, "no user \(id)")
        }
    }
}
