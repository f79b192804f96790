import Foundation
import Testing
import TrackCore
import TrackWire

@testable import itrack

/// The API's router called as the web server calls it, without a socket: the server object, sessions, tokens and
/// who counts as logged in.
@Suite struct APIRouterTests {
    /// A session's user, kind and seconds left, as stored; nil when there is no such session.
    func stored(_ router: APIRouter, session: String) throws -> (user: Int, kind: String, secondsLeft: Int)? {
        guard let row = try router.sql("""
            SELECT userid, kind, extract(epoch FROM expires - now() AT TIME ZONE 'UTC')::int
            FROM it_sessions WHERE id = $1
            """, [session]).first
        else { return nil }
        return (Int(row[0] ?? "") ?? -1, row[1] ?? "", Int(row[2] ?? "") ?? -1)
    }

    @Test func theServerObjectNeedsNoLoginAndIsTraccarsShape() throws {
        let router = try APIRouter()
        let response = router.call("GET", "/api/server")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        let server = try APIRouter.object(response)
        TraccarShape.expect(server, is: TraccarShape.server)
        #expect(server["id"] as? Int == 1 && server["version"] as? String == ITrack.version)
        #expect(server["registration"] as? Bool == false && server["readonly"] as? Bool == false)
        #expect(server["newServer"] as? Bool == false && server["latitude"] as? Double == 0)
        let withBadToken = router.call("GET", "/api/server", ("Authorization", "Bearer nope"))
        #expect(withBadToken.status == 200 && withBadToken.body == response.body,
                "a wrong token is anonymous, and the server object needs no login")
    }

    @Test func aFormLoginAnswersTheUserAndStartsASevenDaySession() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let login = router.call("POST", "/api/session", form: "email=WALKER%40example.com&password=pw-walker")
        #expect(login.status == 200)
        #expect(login.headers["Content-Type"] == "application/json")
        let user = try APIRouter.object(login)
        TraccarShape.expect(user, is: TraccarShape.user)
        #expect(user["id"] as? Int == walker.id && user["name"] as? String == "walker")
        #expect(user["email"] as? String == "walker@example.com", "as stored, not as typed")
        #expect(user["administrator"] as? Bool == false && user["readonly"] as? Bool == false)

        let session = try #require(APIRouter.session(login))
        #expect(login.headers["Set-Cookie"] == "JSESSIONID=\(session); Path=/; HttpOnly")
        #expect(session.count == 48 && session.allSatisfy(\.isHexDigit))
        let row = try #require(try stored(router, session: session))
        #expect(row.user == walker.id && row.kind == "session")
        #expect(abs(row.secondsLeft - 7 * 86_400) < 60)

        let current = router.call("GET", "/api/session", APIRouter.cookie(session))
        #expect(current.status == 200 && current.body == login.body)
        #expect(current.headers["Set-Cookie"] == nil, "the session goes on, no new cookie")
        #expect(router.call("GET", "/api/devices", APIRouter.cookie(session)).status == 200)
    }

    @Test func theLoginNameWorksAsTheEmailAndAdministratorsSayWhoTheyAre() throws {
        let router = try APIRouter()
        let root = try router.user("root", administrator: true)
        _ = try router.sql("UPDATE tc_users SET login = 'Boss' WHERE id = $1", [String(root.id)])
        let login = router.call("POST", "/api/session", form: "email=boss&password=pw-root")
        #expect(login.status == 200)
        let user = try APIRouter.object(login)
        TraccarShape.expect(user, is: TraccarShape.user, except: ["login": .string])
        #expect(user["login"] as? String == "Boss" && user["administrator"] as? Bool == true)
        #expect(router.call("GET", "/api/devices", APIRouter.basic("BOSS", "pw-root")).status == 200)
    }

    @Test func aWrongOrIncompleteLoginStartsNoSession() throws {
        let router = try APIRouter()
        _ = try router.user("walker")
        let wrong = router.call("POST", "/api/session", form: "email=walker%40example.com&password=pw-Walker")
        #expect(wrong.status == 401 && wrong.body.isEmpty && wrong.headers["Set-Cookie"] == nil)
        #expect(router.call("POST", "/api/session", form: "email=nobody%40example.com&password=pw-walker").status
                == 401)
        #expect(router.call("POST", "/api/session", form: "email=walker%40example.com").status == 400)
        #expect(router.call("POST", "/api/session", json: #"{"email":"walker@example.com","password":"pw-walker"}"#)
            .status == 400, "Traccar's login is a form")
        #expect(try router.count("it_sessions") == 0)
    }

    @Test func getSessionWithoutALiveCookieIsNotFound() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let token = try router.token(walker)
        #expect(router.call("GET", "/api/session").status == 404)
        #expect(router.call("GET", "/api/session", APIRouter.cookie("nonsense")).status == 404)
        #expect(router.call("GET", "/api/session", APIRouter.cookie(token)).status == 404,
                "an access token is no session cookie")
        #expect(router.call("GET", "/api/devices", APIRouter.cookie(token)).status == 401)
    }

    @Test func aTokenIsABearerCredentialAndStartsACookieSessionOnGetSession() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let response = router.call("POST", "/api/session/token", walker.basic)
        #expect(response.status == 200 && response.headers["Content-Type"] == "text/plain")
        let token = APIRouter.text(response)
        #expect(token.count == 48 && token.allSatisfy(\.isHexDigit))
        let row = try #require(try stored(router, session: token))
        #expect(row.user == walker.id && row.kind == "token" && abs(row.secondsLeft - 7 * 86_400) < 60)

        let bearer = router.call("GET", "/api/devices", ("Authorization", "Bearer \(token)"))
        #expect(bearer.status == 200 && bearer.headers["Set-Cookie"] == nil, "a bearer call is stateless")
        #expect(router.call("GET", "/api/devices", ("Authorization", "bearer \(token)")).status == 200)
        #expect(router.call("GET", "/api/devices?token=\(token)").status == 401,
                "?token= is only for /api/session and the WebSocket")

        let viaToken = router.call("GET", "/api/session?token=\(token)")
        #expect(viaToken.status == 200)
        #expect(try APIRouter.object(viaToken)["id"] as? Int == walker.id)
        let session = try #require(APIRouter.session(viaToken))
        #expect(try session != token && stored(router, session: session)?.kind == "session")
        #expect(router.call("GET", "/api/session", APIRouter.cookie(session)).status == 200)
        #expect(router.call("GET", "/api/session?token=nope").status == 401)
        #expect(router.call("GET", "/api/devices", ("Authorization", "Bearer \(session)")).status == 401,
                "a session id is no access token")
    }

    @Test func aTokenExpiresWhenAsked() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let later = TraccarTime.text(Date(timeIntervalSinceNow: 3 * 86_400))
            .replacingOccurrences(of: "+00:00", with: "Z")
        let token = APIRouter.text(router.call("POST", "/api/session/token", walker.basic, form: "expiration=\(later)"))
        let asked = try #require(try stored(router, session: token))
        #expect(abs(asked.secondsLeft - 3 * 86_400) < 60)
        let unreadable = APIRouter.text(router.call("POST", "/api/session/token", walker.basic,
                                                    form: "expiration=tomorrow"))
        let defaulted = try #require(try stored(router, session: unreadable))
        #expect(abs(defaulted.secondsLeft - 7 * 86_400) < 60, "an expiration that is no time gets the default")
    }

    @Test func loggingOutEndsTheSession() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let cookie = try router.logIn(walker)
        let logout = router.call("DELETE", "/api/session", cookie)
        #expect(logout.status == 204)
        #expect(logout.headers["Set-Cookie"] == "JSESSIONID=; Path=/; HttpOnly; Max-Age=0")
        #expect(try router.count("it_sessions") == 0)
        #expect(router.call("GET", "/api/session", cookie).status == 404)
        #expect(router.call("GET", "/api/devices", cookie).status == 401)
        #expect(router.call("DELETE", "/api/session").status == 204, "logging out twice does no harm")
    }

    @Test func basicAuthStartsOneSessionAndKeepsIt() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let runner = try router.user("runner")
        let first = router.call("GET", "/api/devices", walker.basic)
        #expect(first.status == 200)
        let session = try #require(APIRouter.session(first))
        #expect(try stored(router, session: session)?.user == walker.id)
        let again = router.call("GET", "/api/devices", walker.basic, APIRouter.cookie(session))
        #expect(again.status == 200 && again.headers["Set-Cookie"] == nil)
        let other = router.call("GET", "/api/devices", runner.basic, APIRouter.cookie(session))
        let runnersSession = try #require(APIRouter.session(other), "another user's cookie is not theirs")
        #expect(try stored(router, session: runnersSession)?.user == runner.id)
        #expect(try router.count("it_sessions") == 2)
    }

    @Test func expiredSessionsAndTokensCountForNothing() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let cookie = try router.logIn(walker)
        let token = try router.token(walker)
        _ = try router.sql("UPDATE it_sessions SET expires = now() AT TIME ZONE 'UTC' - interval '1 minute'")
        #expect(router.call("GET", "/api/session", cookie).status == 404)
        #expect(router.call("GET", "/api/devices", cookie).status == 401)
        #expect(router.call("GET", "/api/devices", ("Authorization", "Bearer \(token)")).status == 401)
        let viaToken = router.call("GET", "/api/session?token=\(token)")
        #expect(viaToken.status == 401 && viaToken.headers["Set-Cookie"] == nil)
    }

    @Test func disabledAndExpiredAccountsAreRefusedWhateverTheyHold() throws {
        let router = try APIRouter()
        let changes = [("off", "disabled = true"),
                       ("gone", "expirationtime = now() AT TIME ZONE 'UTC' - interval '1 minute'")]
        for (index, (name, change)) in changes.enumerated() {
            // Refusals from an address of their own, so the login throttle holds none of them back.
            let address = "192.0.2.\(index + 1):1"
            let user = try router.user(name)
            let cookie = try router.logIn(user)
            let token = try router.token(user)
            _ = try router.sql("UPDATE tc_users SET \(change) WHERE id = $1", [String(user.id)])
            #expect(router.call("GET", "/api/devices", user.basic, from: address).status == 401, "\(name)")
            #expect(router.call("POST", "/api/session", form: "email=\(user.email)&password=\(user.password)",
                                from: address).status == 401, "\(name)")
            #expect(router.call("GET", "/api/devices", cookie).status == 401, "\(name)")
            #expect(router.call("GET", "/api/session", cookie).status == 404, "\(name)")
            #expect(router.call("GET", "/api/devices", ("Authorization", "Bearer \(token)"), from: address).status
                    == 401, "\(name)")
            #expect(router.call("GET", "/api/session?token=\(token)").status == 401, "\(name)")
        }
    }

    /// Every protected endpoint, with no credentials and with each kind of wrong ones: 401 with an empty body,
    /// and nothing written.
    @Test func everyProtectedEndpointRefusesMissingAndWrongCredentials() throws {
        let router = try APIRouter()
        let walker = try router.user("walker")
        let device = try router.device("phone", owners: [walker])
        let geofence = try router.geofence("home", owners: [walker])
        let range = "from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z"
        let requests: [(String, String, String?)] = [
            ("GET", "/api/devices", nil), ("GET", "/api/devices/\(device)", nil),
            ("POST", "/api/devices", #"{"name":"x","uniqueId":"x"}"#),
            ("PUT", "/api/devices/\(device)", #"{"name":"x","uniqueId":"x"}"#),
            ("DELETE", "/api/devices/\(device)", nil),
            ("GET", "/api/positions", nil), ("GET", "/api/positions?deviceId=\(device)&\(range)", nil),
            ("GET", "/api/geofences", nil), ("GET", "/api/geofences/\(geofence)", nil),
            ("POST", "/api/geofences", #"{"name":"x","area":"CIRCLE (1 2, 3)"}"#),
            ("PUT", "/api/geofences/\(geofence)", #"{"name":"x","area":"CIRCLE (1 2, 3)"}"#),
            ("DELETE", "/api/geofences/\(geofence)", nil), ("GET", "/api/events/1", nil),
            ("GET", "/api/reports/events?\(range)", nil),
            ("GET", "/api/reports/route?deviceId=\(device)&\(range)", nil),
            ("GET", "/api/positions/gpx?deviceId=\(device)&\(range)", nil),
            ("GET", "/api/positions/csv?deviceId=\(device)&\(range)", nil),
            ("GET", "/api/positions/geojson?deviceId=\(device)&\(range)", nil),
            ("GET", "/api/users", nil), ("GET", "/api/statistics?\(range)", nil), ("POST", "/api/session/token", nil),
        ]
        let expiredCookie = try router.logIn(walker)
        _ = try router.sql("UPDATE it_sessions SET expires = now() AT TIME ZONE 'UTC' - interval '1 second'")
        let credentials: [[APIRouter.Header]] = [
            [], [APIRouter.basic(walker.email, "wrong")], [APIRouter.basic("nobody@example.com", walker.password)],
            [("Authorization", "Bearer 0123456789abcdef0123456789abcdef0123456789abcdef")],
            [("Authorization", "Basic not-base64!")], [APIRouter.cookie("nonsense")], [expiredCookie],
        ]
        // Each call from an address of its own, so the login throttle holds no answer back.
        var address = 0
        for (method, target, body) in requests {
            for headers in credentials {
                address += 1
                let type: [APIRouter.Header] = body == nil ? [] : [("Content-Type", "application/json")]
                let request = HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers + type),
                                          body: Array((body ?? "").utf8))
                let response = router.call(request, from: "10.0.\(address / 250).\(address % 250):1")
                #expect(response.status == 401 && response.body.isEmpty, "\(method) \(target) with \(headers)")
                #expect(response.headers["Set-Cookie"] == nil, "\(method) \(target) with \(headers)")
            }
        }
        let left = try router.sql("SELECT (SELECT count(*) FROM tc_devices), (SELECT name FROM tc_devices),"
                                  + " (SELECT count(*) FROM tc_geofences), (SELECT name FROM tc_geofences)")
        #expect(left.first == ["1", "phone", "1", "home"], "no write went through")
        #expect(try router.count("it_sessions WHERE expires > now() AT TIME ZONE 'UTC'") == 0)
    }
}
