import Foundation
import Synchronization
import Logging
import Testing
import TestSupport
import TrackNet
import TrackWire

@testable import itrack

/// The API's router called as the web server calls it, without a socket: status, JSON shape, authentication.
@Suite struct APIRouterTests {
    @Test func theServerObjectNeedsNoLoginAndIsTraccarsShape() throws {
        let router = try APIRouter()
        let response = router.call(HTTPRequest(method: "GET", target: "/api/server"))
        #expect(response.status == 200)
        let server = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(server["registration"] as? Bool == false)
        #expect(server["readonly"] as? Bool == false)
        #expect(server["version"] is String)
    }

    @Test func devicesNeedALogin() throws {
        let router = try APIRouter()
        let response = router.call(HTTPRequest(method: "GET", target: "/api/devices"))
        #expect(response.status == 401)
    }
}

/// `APIRoutes` on a fresh migrated database, answering synchronously.
struct APIRouter {
    let databaseURL: String
    let routes: APIRoutes

    init() throws {
        databaseURL = try TestDatabase.createMigrated()
        let logger = Logger(label: "test")
        routes = APIRoutes(database: APIDatabase(url: databaseURL), live: LiveFeed(databaseURL: databaseURL, logger: logger),
                           logger: logger)
    }

    /// The answer to `request` from 127.0.0.1, waited for.
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
}
