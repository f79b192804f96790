import Foundation
import TrackCore
import TrackPostgres
import TrackWire

/// Links between users, devices and geofences, as Traccar's `PermissionsResource`.
extension APIRoutes {
    /// `POST` (link) and `DELETE` (unlink) `/api/permissions` with a body such as `{"userId":2,"deviceId":5}`:
    /// 204 when done, also when there was nothing to change; 400 for a malformed body; 403 when someone who is
    /// not an administrator names a user (only administrators give access); 404 when an end does not exist or
    /// the caller does not see it. Nil for any other request.
    func permissionResource(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse? {
        let http = request.http
        guard http.path == "/api/permissions", http.method == "POST" || http.method == "DELETE" else { return nil }
        let permission = try Permission(json: http.body)
        if permission.userId != nil, !user.administrator {
            return .text(403, "only administrators link users to devices or geofences")
        }
        let linking = http.method == "POST"
        let done = try database.with { connection in
            let store = PermissionStore(connection: connection)
            return linking ? try store.link(permission, for: user) : try store.unlink(permission, for: user)
        }
        return done ? HTTPResponse(status: 204) : .text(404, "\(permission): not both there, or not both yours to see")
    }
}
