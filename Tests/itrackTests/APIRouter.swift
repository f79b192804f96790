import Foundation
import Logging
import Synchronization
import TestSupport
import TrackNet
import TrackWire

@testable import itrack

/// `APIRoutes` on a fresh migrated database, answering synchronously, with the users and rows a test needs
/// made straight in that database.
struct APIRouter {
    typealias Header = (name: String, value: String)

    /// A user made for a test, with the password it logs in with.
    struct User {
        let id: Int
        let email: String
        let password: String

        /// `Authorization: Basic` with this user's email and password.
        var basic: Header { APIRouter.basic(email, password) }
    }

    let databaseURL: String
    let routes: APIRoutes

    init() throws {
        databaseURL = try TestDatabase.createMigrated()
        let logger = Logger(label: "test")
        routes = APIRoutes(database: APIDatabase(url: databaseURL),
                           live: LiveFeed(databaseURL: databaseURL, logger: logger), logger: logger)
    }

    /// The answer to `request` from `address`, waited for.
    func call(_ request: HTTPRequest, from address: String = "127.0.0.1:40000") -> HTTPResponse {
        let answer = Mutex<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        routes.handle(request, context: HTTPRequestContext(remoteAddress: address, receivedAt: Date())) { response in
            answer.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        return answer.withLock { $0 }!
    }

    /// `method target` with `headers` and, when given, a JSON or form body with its Content-Type.
    func call(_ method: String, _ target: String, _ headers: Header..., json: String? = nil, form: String? = nil,
              from address: String = "127.0.0.1:40000") -> HTTPResponse
    {
        var fields = headers
        if json != nil { fields.append(("Content-Type", "application/json")) }
        if form != nil { fields.append(("Content-Type", "application/x-www-form-urlencoded")) }
        let body = Array((json ?? form ?? "").utf8)
        return call(HTTPRequest(method: method, target: target, headers: HTTPHeaders(fields), body: body),
                    from: address)
    }

    static func basic(_ email: String, _ password: String) -> Header {
        ("Authorization", "Basic " + Data("\(email):\(password)".utf8).base64EncodedString())
    }

    static func cookie(_ session: String) -> Header { ("Cookie", "JSESSIONID=\(session)") }

    /// The session id a response's `Set-Cookie` gives, nil when it sets none.
    static func session(_ response: HTTPResponse) -> String? {
        guard let value = response.headers["Set-Cookie"], value.hasPrefix("JSESSIONID=") else { return nil }
        return value.dropFirst("JSESSIONID=".count).split(separator: ";", omittingEmptySubsequences: false).first
            .map(String.init)
    }

    /// Logs `user` in with `POST /api/session`; returns the cookie header for the new session.
    func logIn(_ user: User) throws -> Header {
        let response = call("POST", "/api/session", form: "email=\(user.email)&password=\(user.password)")
        guard response.status == 200, let session = Self.session(response) else {
            throw RouterError(message: "login of \(user.email) answered \(response.status)")
        }
        return Self.cookie(session)
    }

    /// A new access token of `user` from `POST /api/session/token`.
    func token(_ user: User) throws -> String {
        let response = call("POST", "/api/session/token", user.basic)
        guard response.status == 200 else { throw RouterError(message: "token request answered \(response.status)") }
        return Self.text(response)
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    static func object(_ response: HTTPResponse) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw RouterError(message: "not a JSON object: \(text(response))")
        }
        return object
    }

    static func array(_ response: HTTPResponse) throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
            throw RouterError(message: "not a JSON array of objects: \(text(response))")
        }
        return array
    }

    /// `key` of each object in a JSON array answer, nil where it is missing or not a `T`.
    static func column<T>(_ key: String, of response: HTTPResponse, as type: T.Type) throws -> [T?] {
        try array(response).map { $0[key] as? T }
    }

    /// The ids of the objects in a JSON array answer.
    static func ids(_ response: HTTPResponse) throws -> [Int?] {
        try column("id", of: response, as: Int.self)
    }

    struct RouterError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

extension APIRouter {
    func sql(_ text: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try TestDatabase.rows(databaseURL, text, parameters)
    }

    /// The number of rows in `rows`: a table, or a table with a `WHERE` clause.
    func count(_ rows: String) throws -> Int {
        try TestDatabase.count(databaseURL, "SELECT count(*) FROM \(rows)")
    }

    /// The integer in the first column of the first row `text` returns (an id from `RETURNING id`).
    private func id(_ text: String, _ parameters: [String?]) throws -> Int64 {
        guard let cell = try sql(text, parameters).first?.first, let id = cell.flatMap({ Int64($0) }) else {
            throw RouterError(message: "no id from \(text)")
        }
        return id
    }

    /// A user `<name>@example.com` with password `pw-<name>`, hashed as `AccountStore` hashes it but with bcrypt's
    /// lowest cost: every Basic call checks the password, and tests make hundreds.
    func user(_ name: String, administrator: Bool = false, readonly: Bool = false) throws -> User {
        let email = "\(name)@example.com", password = "pw-\(name)"
        let id = try id("""
            INSERT INTO tc_users (name, email, hashedpassword, administrator, readonly)
            VALUES ($1, $2, crypt($3, gen_salt('bf', 4)), $4, $5) RETURNING id
            """, [name, email, password, administrator ? "t" : "f", readonly ? "t" : "f"])
        return User(id: Int(id), email: email, password: password)
    }

    /// A device named `name` (unique id the same) that `owners` see.
    func device(_ name: String, owners: [User]) throws -> Int {
        let device = Int(try id("INSERT INTO tc_devices (name, uniqueid) VALUES ($1, $1) RETURNING id", [name]))
        for owner in owners {
            _ = try sql("INSERT INTO tc_user_device (userid, deviceid) VALUES ($1, $2)",
                        [String(owner.id), String(device)])
        }
        return device
    }

    /// A position at `fixTime` (`yyyy-MM-dd HH:mm:ss`, UTC), received a second later; it becomes the device's
    /// latest unless the device has a later one, as the position writer does.
    func position(device: Int, fixTime: String, latitude: Double = 52.5, longitude: Double = 13.4) throws -> Int64 {
        let position = try id("""
            INSERT INTO tc_positions (deviceid, protocol, servertime, devicetime, fixtime, valid, latitude, longitude,
                altitude, speed, course, accuracy, attributes)
            VALUES ($1, 'osmand', $2::timestamp + interval '1 second', $2, $2, true, $3, $4, 35.5, 3.25, 90.0, 8.0,
                '{"batteryLevel":87.0}')
            RETURNING id
            """, [String(device), fixTime, String(latitude), String(longitude)])
        _ = try sql("""
            UPDATE tc_devices SET positionid = $2, lastupdate = $3::timestamp + interval '1 second'
            WHERE id = $1 AND (lastupdate IS NULL OR lastupdate <= $3::timestamp + interval '1 second')
            """, [String(device), String(position), fixTime])
        return position
    }

    /// A geofence that `owners` see (administrators see every one).
    func geofence(_ name: String, area: String = "CIRCLE (52.5 13.4, 100)", owners: [User]) throws -> Int {
        let geofence = Int(try id("INSERT INTO tc_geofences (name, area) VALUES ($1, $2) RETURNING id", [name, area]))
        for owner in owners {
            _ = try sql("INSERT INTO tc_user_geofence (userid, geofenceid) VALUES ($1, $2)",
                        [String(owner.id), String(geofence)])
        }
        return geofence
    }

    /// An event of `device` at `time` (`yyyy-MM-dd HH:mm:ss`, UTC).
    func event(device: Int, type: String, time: String, positionId: Int64? = nil, geofenceId: Int? = nil) throws
        -> Int64
    {
        try id("""
            INSERT INTO tc_events (type, eventtime, deviceid, positionid, geofenceid, attributes)
            VALUES ($1, $2, $3, $4, $5, '{}') RETURNING id
            """, [type, time, String(device), positionId.map(String.init), geofenceId.map(String.init)])
    }
}

/// The cast most API tests need, on a fresh router: an administrator `root`; `walker`, who sees the devices
/// `b-walk` and `a-walk` (made in that order, so name order differs from id order); `runner`, who sees `run`; and
/// `spare`, a device no user is linked to.
struct Fleet {
    let router: APIRouter
    let root: APIRouter.User
    let walker: APIRouter.User
    let runner: APIRouter.User
    let bWalk: Int
    let aWalk: Int
    let run: Int
    let spare: Int

    init() throws {
        router = try APIRouter()
        root = try router.user("root", administrator: true)
        walker = try router.user("walker")
        runner = try router.user("runner")
        bWalk = try router.device("b-walk", owners: [walker])
        aWalk = try router.device("a-walk", owners: [walker])
        run = try router.device("run", owners: [runner])
        spare = try router.device("spare", owners: [])
    }
}
