import Foundation
import TrackWire

/// The live map on the web port: `GET /` is one HTML page, and `GET /leaflet/<file>` serves Leaflet from Debian's
/// `libjs-leaflet`, so the page needs nothing from the internet but map tiles (`web.tileUrl`).
///
/// The page logs in (`?token=`, else a form posting `/api/session`), puts a marker at each device's latest position,
/// follows `/api/socket` (polling `/api/positions` every 5 s when the socket fails) and draws the last 6 h of a
/// device's track when its marker is clicked.
struct MapPage: Sendable {
    /// Where `libjs-leaflet` installs `leaflet.js`, `leaflet.css` and `images/`.
    static let debianLeafletDirectory = "/usr/share/javascript/leaflet"

    /// A Leaflet tile URL template (`{z}/{x}/{y}`); empty: no tiles, markers on a blank map.
    let tileURL: String
    let leafletDirectory: String

    init(tileURL: String, leafletDirectory: String = MapPage.debianLeafletDirectory) {
        self.tileURL = tileURL
        self.leafletDirectory = leafletDirectory
    }

    /// The page, with the tile URL written into its script.
    func page() -> HTTPResponse {
        HTTPResponse(
            status: 200,
            headers: HTTPHeaders([("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-cache")]),
            body: Array(Self.html(tileURL: Self.scriptString(tileURL)).utf8))
    }

    /// A file from the Leaflet directory; `path` is the request path after `/leaflet/`.
    func leafletFile(_ path: Substring) -> HTTPResponse {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        // Only plain names: no `..`, no empty or hidden components, no escapes that a later decoding could turn into
        // one. Leaflet's own files need nothing else.
        let plain = components.allSatisfy { component in
            !component.isEmpty && !component.hasPrefix(".")
                && component.unicodeScalars.allSatisfy { Self.nameCharacters.contains($0) }
        }
        guard plain else { return .text(400, "bad file name: \(path)") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: leafletDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            return .text(404, "Leaflet is not installed (no \(leafletDirectory)): install Debian's libjs-leaflet "
                + "(scripts/setup does)")
        }
        let extensionName = path.split(separator: ".").last.map(String.init) ?? ""
        guard let type = Self.contentTypes[extensionName],
              let body = FileManager.default.contents(atPath: leafletDirectory + "/" + path)
        else { return .text(404, "no such Leaflet file: \(path)") }
        return HTTPResponse(
            status: 200, headers: HTTPHeaders([("Content-Type", type), ("Cache-Control", "max-age=3600")]),
            body: Array(body))
    }

    private static let nameCharacters = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")

    /// The types of what `libjs-leaflet` ships and the page loads; anything else (the `.gz` copies) is not served.
    static let contentTypes = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "png": "image/png",
        "svg": "image/svg+xml", "map": "application/json",
    ]

    /// `text` as a JavaScript string literal that is also safe inside `<script>` (no `<`, `>`, `&` or line breaks).
    static func scriptString(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || "\"\\<>&\u{2028}\u{2029}".unicodeScalars.contains(scalar) {
                literal += String(format: "\\u%04x", scalar.value)
            } else {
                literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }

    // Plain JavaScript, no build step. Names and other text from the server go in with textContent, never as HTML.
    private static func html(tileURL: String) -> String {
        #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>itrack</title>
        <link rel="stylesheet" href="/leaflet/leaflet.css">
        <style>
        html, body, #map { height: 100%; margin: 0; }
        .box { position: absolute; z-index: 1000; background: #fff; font: 14px sans-serif; padding: 8px 12px;
               border-radius: 4px; box-shadow: 0 1px 5px rgba(0, 0, 0, .4); }
        #login { top: 20px; left: 50%; transform: translateX(-50%); }
        #login input { display: block; margin: 0 0 6px; width: 220px; }
        #status { bottom: 8px; left: 8px; padding: 2px 8px; font-size: 12px; }
        [hidden] { display: none; }
        </style>
        </head>
        <body>
        <div id="map"></div>
        <form id="login" class="box" hidden>
        <input name="email" type="text" placeholder="email" autocomplete="username" required>
        <input name="password" type="password" placeholder="password" autocomplete="current-password" required>
        <button>Log in</button> <span id="login-error"></span>
        </form>
        <div id="status" class="box">loading…</div>
        <script src="/leaflet/leaflet.js"></script>
        <script>
        "use strict";
        const tileUrl = \#(tileURL);
        const statusBox = document.getElementById("status");
        const say = (text) => { statusBox.textContent = text; };
        const devices = new Map();
        const markers = new Map();
        let track = null;
        let pollTimer = null;
        let mode = "";
        const report = () => say(markers.size + " devices" + (mode ? " · " + mode : ""));

        if (!window.L) {
          say("Leaflet did not load: install Debian's libjs-leaflet (scripts/setup does)");
          throw new Error("no Leaflet");
        }
        const map = L.map("map", { worldCopyJump: true }).setView([20, 0], 2);
        if (tileUrl) {
          const osm = tileUrl.includes("openstreetmap.org");
          L.tileLayer(tileUrl, { maxZoom: 19, attribution: osm ? "&copy; OpenStreetMap contributors" : "" }).addTo(map);
        }

        const get = (path) => fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
        const nameOf = (id) => (devices.get(id) || {}).name || "device " + id;
        function text(value) {
          const span = document.createElement("span");
          span.textContent = value;
          return span;
        }

        function place(position) {
          const id = position.deviceId;
          const at = [position.latitude, position.longitude];
          let marker = markers.get(id);
          if (marker) {
            marker.setLatLng(at);
          } else {
            marker = L.marker(at, { title: nameOf(id), alt: nameOf(id) }).addTo(map);
            marker.bindTooltip(text(nameOf(id)), { permanent: true, direction: "right" });
            marker.on("click", () => showTrack(id));
            markers.set(id, marker);
            report();
          }
          const knots = position.speed || 0;
          marker.bindPopup(text(nameOf(id) + " · " + new Date(position.fixTime).toLocaleString() + " · "
            + (knots * 1.852).toFixed(1) + " km/h"));
        }

        function rename(device) {
          devices.set(device.id, device);
          const marker = markers.get(device.id);
          if (marker) marker.setTooltipContent(text(device.name));
        }

        async function start() {
          const token = new URLSearchParams(location.search).get("token");
          if (token) {
            const session = await get("/api/session?token=" + encodeURIComponent(token));
            if (session.ok) history.replaceState(null, "", location.pathname);
            else say("the token was refused (HTTP " + session.status + ")");
          }
          await load();
        }

        async function load() {
          const response = await get("/api/devices");
          if (response.status === 401) return showLogin();
          if (!response.ok) return say("devices: HTTP " + response.status);
          (await response.json()).forEach(rename);
          if (!await refresh()) return;
          const points = [...markers.values()].map((marker) => marker.getLatLng());
          if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [40, 40], maxZoom: 15 });
          report();
          connect();
        }

        async function refresh() {
          try {
            const response = await get("/api/positions");
            if (response.status === 401) { showLogin(); return false; }
            if (!response.ok) { say("positions: HTTP " + response.status); return false; }
            (await response.json()).forEach(place);
            return true;
          } catch (error) {
            say("positions: " + error.message);
            return false;
          }
        }

        function connect() {
          const scheme = location.protocol === "https:" ? "wss://" : "ws://";
          let socket;
          try {
            socket = new WebSocket(scheme + location.host + "/api/socket");
          } catch (error) {
            return poll();
          }
          socket.onopen = () => {
            clearInterval(pollTimer);
            pollTimer = null;
            mode = "live";
            report();
          };
          socket.onmessage = (event) => {
            const message = JSON.parse(event.data);
            (message.devices || []).forEach(rename);
            (message.positions || []).forEach(place);
          };
          socket.onclose = () => {
            poll();
            setTimeout(connect, 30000);
          };
        }

        function poll() {
          mode = "updated every 5 s";
          report();
          if (!pollTimer) pollTimer = setInterval(refresh, 5000);
        }

        async function showTrack(id) {
          const to = new Date();
          const from = new Date(to.getTime() - 6 * 3600 * 1000);
          let positions = [];
          try {
            const iso = (date) => encodeURIComponent(date.toISOString());
            const response = await get("/api/positions?deviceId=" + id + "&from=" + iso(from) + "&to=" + iso(to));
            if (response.ok) positions = await response.json();
          } catch (error) {
            positions = [];
          }
          if (track) track.remove();
          track = null;
          const points = (Array.isArray(positions) ? positions : [])
            .filter((position) => position.deviceId === id)
            .sort((a, b) => Date.parse(a.fixTime) - Date.parse(b.fixTime))
            .map((position) => [position.latitude, position.longitude]);
          if (points.length < 2) return say(nameOf(id) + ": no track in the last 6 h");
          track = L.polyline(points, { color: "#d03030", weight: 3 }).addTo(map);
          map.fitBounds(track.getBounds(), { padding: [40, 40], maxZoom: 17 });
          say(nameOf(id) + ": " + points.length + " positions in the last 6 h");
        }

        function showLogin() {
          say("log in to see the devices");
          const form = document.getElementById("login");
          form.hidden = false;
          form.onsubmit = async (event) => {
            event.preventDefault();
            const response = await fetch("/api/session", {
              method: "POST", credentials: "same-origin", body: new URLSearchParams(new FormData(form)),
            });
            if (!response.ok) {
              document.getElementById("login-error").textContent =
                response.status === 401 ? "wrong email or password" : "HTTP " + response.status;
              return;
            }
            form.hidden = true;
            document.getElementById("login-error").textContent = "";
            load();
          };
        }

        start().catch((error) => say("error: " + error.message));
        </script>
        </body>
        </html>
        """#
    }
}
