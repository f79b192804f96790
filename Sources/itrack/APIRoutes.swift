import Dispatch
import Foundation
import Logging
import TrackCore
import TrackNet
import TrackPostgres
import TrackProtocols
import TrackWire

/// Traccar's REST API under `/api/`: server, sessions and tokens, devices, positions, geofences, events, reports,
/// exports, users, permissions, statistics and `openapi.yaml`.
///
/// Authentication follows Traccar: an `Authorization` header (Basic with email or login and password, or Bearer
/// with an access token) first, else the `JSESSIONID` cookie; `?token=` only on `GET /api/session`. Handlers run
/// on a queue of their own with a small connection pool (`APIDatabase`).
struct APIRoutes: Sendable {
    static let sessionLifetime: TimeInterval = 7 * 86_400

    let database: APIDatabase
    let live: LiveFeed
    let logger: Logger
    /// Called after a device was changed or deleted, so the ingest writers stop using what they cached of it.
    let devicesChanged: @Sendable () -> Void
    private let queue = DispatchQueue(label: "itrack.api", attributes: .concurrent)
    private let throttle = LoginThrottle()

    init(database: APIDatabase, live: LiveFeed, logger: Logger, devicesChanged: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.live = live
        self.logger = logger
        self.devicesChanged = devicesChanged
    }

    func handle(_ request: HTTPRequest, context: HTTPRequestContext,
                respond: @escaping @Sendable (HTTPResponse) -> Void) {
        queue.async {
            do {
                let parsed = try APIRequest(request)
                let response = request.path == "/api/socket"
                    ? try socket(parsed, upgrade: context.upgrade) : try route(parsed)
                let triedPassword = parsed.credentials != nil
                    || (request.method == "POST" && request.path == "/api/session")
                let address = LoginThrottle.host(of: context.remoteAddress)
                if triedPassword && response.status == 401 {
                    queue.asyncAfter(deadline: .now() + throttle.failed(address)) { respond(response) }
                    return
                }
                if triedPassword { throttle.succeeded(address) }
                respond(response)
            } catch let failure as QueryStringDecoder.Failure {
                respond(.text(400, "malformed parameters: \(failure.reason)"))
            } catch let failure as JSONBody.Failure {
                respond(.text(400, failure.description))
            } catch let failure as PostgresError where failure.sqlState == "23505" {
                respond(.text(400, "conflicts with an existing one: \(failure.message)"))
            } catch let failure as PostgresError where failure.sqlState == "22003" {
                // An id beyond what the `integer` id columns hold: the client's number, not a server fault.
                respond(.text(400, "a number is out of range: \(failure.message)"))
            } catch {
                logger.error("API request failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
                respond(.text(error is PostgresError ? 503 : 500, "\(error)"))
            }
        }
    }

    private func route(_ request: APIRequest) throws -> HTTPResponse {
        let http = request.http
        switch (http.method, http.path) {
        case ("GET", "/api/server"):
            return json(200, ServerInfo.json)
        case ("GET", "/api/openapi.yaml"):
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/yaml")]),
                                body: Array(OpenAPIDocument.yaml.utf8))
        case ("POST", "/api/session"):
            return try logIn(request)
        case ("GET", "/api/session"):
            return try currentSession(request)
        case ("DELETE", "/api/session"):
            if let cookie = request.sessionCookie { try database.with { try AccountStore(connection: $0).deleteSession(cookie) } }
            var response = HTTPResponse(status: 204)
            response.headers.add("Set-Cookie", "JSESSIONID=; Path=/; HttpOnly; Max-Age=0")
            return response
        default:
            break
        }
        guard let (user, newSession) = try authenticatedUser(request) else { return HTTPResponse(status: 401) }
        let response = try authenticatedRoute(request, user: user)
        return newSession.map { withCookie(response, session: $0) } ?? response
    }

    private func authenticatedRoute(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse {
        let http = request.http
        switch (http.method, http.path) {
        case ("POST", "/api/session/token"):
            let token = try database.with {
                try AccountStore(connection: $0).createSession(user: user, kind: "token", lifetime: tokenLifetime(request))
            }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: Array(token.utf8))
        case ("GET", "/api/devices"):
            let devices = try database.with {
                try AccountStore(connection: $0).devices(for: user, ids: request.ids("id"),
                                                         uniqueIds: request.all("uniqueId"))
            }
            return json(200, JSONText.array(devices.map(\.traccarJSON)))
        case ("GET", "/api/positions"):
            if request.first("from") != nil || request.first("to") != nil {
                guard let (from, to) = range(request) else {
                    return .text(400, "from and to must both be ISO 8601 times with a zone")
                }
                return try history(request, user: user, from: from, to: to)
            }
            return try positions(request, user: user)
        default:
            return try resource(request, user: user) ?? userResource(request, user: user)
                ?? permissionResource(request, user: user)
                ?? exportResource(request, user: user) ?? .text(404, "no such resource: \(http.method) \(http.path)")
        }
    }

    /// `/api/socket`: authenticated by `?token=` or the session cookie (not the Authorization header, as in
    /// Traccar); opens with the latest position of every device the user may see.
    private func socket(_ request: APIRequest, upgrade: ConnectionUpgrade) throws -> HTTPResponse {
        let handshake = WebSocketHandshake(request.http)
        guard case .accept = handshake else { return handshake.response }
        let opened: (Set<Int>?, [StoredPosition])? = try database.with { connection in
            let store = AccountStore(connection: connection)
            let user = try request.first("token").map { try store.user(session: $0, kind: "token") }
                ?? request.sessionCookie.flatMap { try store.user(session: $0, kind: "session") }
            guard let user else { return nil }
            let devices = try store.devices(for: user)
            let latest = try CommittedPositions(connection: connection).rows(ids: devices.compactMap(\.positionId))
            return (user.administrator ? nil : Set(devices.map(\.id)), latest)
        }
        guard let (visible, latest) = opened else { return HTTPResponse(status: 401) }
        upgrade.accept(LiveSocket(
            visibleDevices: visible, initial: JSONText.object([("positions", JSONText.array(latest.map(\.traccarJSON)))]),
            feed: live))
        return handshake.response
    }

    private func logIn(_ request: APIRequest) throws -> HTTPResponse {
        guard let email = request.first("email"), let password = request.first("password") else {
            return .text(400, "expected form fields email and password")
        }
        let session: (StoredUser, String)? = try database.with { connection in
            let store = AccountStore(connection: connection)
            guard let user = try store.authenticate(email: email, password: password) else { return nil }
            return (user, try store.createSession(user: user, kind: "session", lifetime: Self.sessionLifetime))
        }
        guard let (user, id) = session else { return HTTPResponse(status: 401) }
        return withCookie(json(200, user.traccarJSON), session: id)
    }

    /// With `?token=`: logs in with an access token and starts a cookie session (what the WebSocket relies on).
    private func currentSession(_ request: APIRequest) throws -> HTTPResponse {
        if let token = request.first("token") {
            let session: (StoredUser, String)? = try database.with { connection in
                let store = AccountStore(connection: connection)
                guard let user = try store.user(session: token, kind: "token") else { return nil }
                return (user, try store.createSession(user: user, kind: "session", lifetime: Self.sessionLifetime))
            }
            guard let (user, id) = session else { return HTTPResponse(status: 401) }
            return withCookie(json(200, user.traccarJSON), session: id)
        }
        guard let cookie = request.sessionCookie,
              let user = try database.with({ try AccountStore(connection: $0).user(session: cookie, kind: "session") })
        else { return HTTPResponse(status: 404) }
        return json(200, user.traccarJSON)
    }

    /// The user, and a new session id when Basic credentials came without a live session cookie: clients such
    /// as pytraccar log in with Basic on every call and then open `/api/socket` with nothing but their cookies.
    private func authenticatedUser(_ request: APIRequest) throws -> (StoredUser, String?)? {
        try database.with { connection in
            let store = AccountStore(connection: connection)
            // Looked up only where it counts: a Bearer call pays for no session lookup.
            func cookieUser() throws -> StoredUser? {
                try request.sessionCookie.flatMap { try store.user(session: $0, kind: "session") }
            }
            switch request.credentials {
            case .basic(let email, let password):
                guard let user = try store.authenticate(email: email, password: password) else { return nil }
                if try cookieUser()?.id == user.id { return (user, nil) }
                return (user, try store.createSession(user: user, kind: "session", lifetime: Self.sessionLifetime))
            case .bearer(let token):
                return try store.user(session: token, kind: "token").map { ($0, nil) }
            case nil:
                return try cookieUser().map { ($0, nil) }
            }
        }
    }

    /// No parameters: each visible device's latest position; `deviceId`: that device's; `id`: those positions.
    private func positions(_ request: APIRequest, user: StoredUser) throws -> HTTPResponse {
        let rows: [StoredPosition] = try database.with { connection in
            let devices = try AccountStore(connection: connection).devices(
                for: user, ids: request.ids("deviceId"))
            let visible = Set(devices.map(\.id))
            let requested = request.all("id").compactMap { Int64($0) }
            let ids = requested.isEmpty ? devices.compactMap(\.positionId) : requested
            return try CommittedPositions(connection: connection).rows(ids: ids).filter { visible.contains($0.deviceId) }
        }
        return json(200, JSONText.array(rows.map(\.traccarJSON)))
    }

    private func tokenLifetime(_ request: APIRequest) -> TimeInterval {
        guard let text = request.first("expiration"), let expiry = TraccarTime.date(from: text) else {
            return Self.sessionLifetime
        }
        return max(1, expiry.timeIntervalSinceNow)
    }

    private func withCookie(_ response: HTTPResponse, session: String) -> HTTPResponse {
        var response = response
        response.headers.add("Set-Cookie", "JSESSIONID=\(session); Path=/; HttpOnly")
        return response
    }

    func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(body.utf8))
    }
}
