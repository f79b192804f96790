import Foundation
import Testing
import TestSupport
import TrackWire

/// The live map at `GET /`: Leaflet served from Debian's libjs-leaflet, and the page itself in headless Chromium.
@Suite struct MapPageTests {
    static let admin = (email: "admin@example.com", password: "map pass")
    /// Nothing listens on port 9, so every tile fails at once, as it would offline.
    static let tileURL = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"

    func server() throws -> ServerProcess {
        try ServerProcess(databaseURL: try TestDatabase.create(), environment: [
            "ITRACK_ADMIN_EMAIL": Self.admin.email, "ITRACK_ADMIN_PASSWORD": Self.admin.password,
            "ITRACK_WEB_TILEURL": Self.tileURL,
        ])
    }

    func call(_ server: ServerProcess, _ method: String, _ target: String, headers: [String] = [],
              body: String = "") throws -> HTTPResponse {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n"
        for header in headers { request += header + "\r\n" }
        request += body.isEmpty ? "\r\n" : "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        guard let response = try RawHTTPClient(port: server.webPort).exchange(request) else {
            throw ServerError(message: "no answer to \(method) \(target)")
        }
        return response
    }

    @Test func servesLeafletAndThePageWithTheTileURL() throws {
        let server = try server()
        let page = try call(server, "GET", "/")
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(page.status == 200 && page.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(html.contains(#""\#(Self.tileURL)""#), "the configured tile URL is in the page's script")
        #expect(html.contains(#"<script src="/leaflet/leaflet.js">"#))

        let script = try call(server, "GET", "/leaflet/leaflet.js")
        #expect(script.status == 200 && script.headers["Content-Type"]?.hasPrefix("text/javascript") == true)
        let definesL = String(decoding: script.body, as: UTF8.self).contains("window.L = exports")
        #expect(definesL, "Leaflet's own file")
        let style = try call(server, "GET", "/leaflet/leaflet.css")
        #expect(style.status == 200 && style.headers["Content-Type"]?.hasPrefix("text/css") == true)
        let icon = try call(server, "GET", "/leaflet/images/marker-icon.png")
        #expect(icon.status == 200 && icon.headers["Content-Type"] == "image/png")
        #expect(icon.body.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try call(server, "GET", "/leaflet/nothing.js").status == 404)

        for target in ["/leaflet/../../etc/passwd", "/leaflet/images/../../../../etc/passwd",
                       "/leaflet/%2e%2e/%2e%2e/etc/passwd", "/leaflet//etc/passwd", "/leaflet/.%2e/.%2e/etc/passwd"] {
            let refused = try call(server, "GET", target)
            #expect(refused.status == 400, "\(target) is refused")
            #expect(!String(decoding: refused.body, as: UTF8.self).contains("root:"))
        }

        let report = try call(server, "POST", "/", headers: ["Content-Type: application/x-www-form-urlencoded"],
                              body: "id=web-phone&lat=52.5&lon=13.4&timestamp=\(Int(Date().timeIntervalSince1970))")
        #expect(report.status == 200 && report.body.isEmpty, "a POST to / is still a phone report")
    }

    @Test func headlessChromiumShowsAMarkerPerDevice() throws {
        try HeadlessChromium.requireInstalled()
        let server = try server()
        let names = ["alpha-phone", "bravo-phone", "charlie-phone"]
        let now = Int(Date().timeIntervalSince1970)
        let phone = try RawHTTPClient(port: server.osmandPort)
        for (index, name) in names.enumerated() {
            for step in 0..<3 {
                let lat = 52.50 + Double(index) * 0.02 + Double(step) * 0.002
                let lon = 13.40 + Double(index) * 0.03 - Double(step) * 0.001
                let query = "id=\(name)&lat=\(lat)&lon=\(lon)&timestamp=\(now - 600 + step * 60)"
                let response = try phone.exchange("GET /?\(query) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(response?.status == 200)
            }
        }
        let credentials = Data("\(Self.admin.email):\(Self.admin.password)".utf8).base64EncodedString()
        let minted = try call(server, "POST", "/api/session/token", headers: ["Authorization: Basic \(credentials)"])
        try #require(minted.status == 200)
        let url = "http://127.0.0.1:\(server.webPort)/?token=\(String(decoding: minted.body, as: UTF8.self))"

        let dom = try HeadlessChromium.dumpDOM(url)
        let markers = dom.components(separatedBy: #"class="leaflet-marker-icon"#).count - 1
        #expect(markers == 3, "one marker per device; DOM:\n\(dom.suffix(3000))")
        for name in names {
            #expect(dom.contains("<span>\(name)</span>"), "\(name) is shown next to its marker")
        }

        let artifacts = RepositoryPaths.root.appendingPathComponent(".data/artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let shot = artifacts.appendingPathComponent("map.png")
        try? FileManager.default.removeItem(at: shot)
        try HeadlessChromium.screenshot(url, to: shot)
        let png = try Data(contentsOf: shot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png.count > 24 && Array(png[16..<24]) == [0, 0, 4, 0, 0, 0, 3, 0], "1024×768, as asked")
        #expect(png.count > 10_000, "markers and labels drawn, not a blank page (\(png.count) bytes)")

        let anonymous = try HeadlessChromium.dumpDOM("http://127.0.0.1:\(server.webPort)/")
        #expect(anonymous.contains(#"<form id="login" class="box">"#), "without a session the login form shows")
        #expect(!anonymous.contains(#"class="leaflet-marker-icon"#))
    }
}
