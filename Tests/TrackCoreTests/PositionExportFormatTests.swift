import Foundation
import Testing
import TrackCore
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct PositionExportFormatTests {
    static let fix = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC

    static func positions(device: StoredDevice) -> [StoredPosition] {
        [
            StoredPosition(
                id: 101, deviceId: device.id, protocolName: "osmand", serverTime: fix + 3, deviceTime: fix,
                fixTime: fix, valid: true, latitude: 52.5, longitude: 13.4, altitude: 34.5, speed: 2.5, course: 90,
                address: nil, accuracy: 7, attributes: #"{"batteryLevel":87.0,"motion":false}"#, network: nil,
                device: device),
            StoredPosition(
                id: 102, deviceId: device.id, protocolName: "osmand", serverTime: fix + 4, deviceTime: fix + 1.25,
                fixTime: fix + 1.25, valid: false, latitude: 0.00001, longitude: -0.5, altitude: 0, speed: 0,
                course: 0, address: nil, accuracy: 0, attributes: "", network: nil, device: device),
        ]
    }

    /// The whole document as a client receives it: header, rows, footer.
    static func document(_ format: PositionExportFormat, device: StoredDevice) -> String {
        format.header(device: device)
            + positions(device: device).enumerated().map { format.row($0.element, first: $0.offset == 0) }.joined()
            + format.footer
    }

    let phone = StoredDevice(id: 7, name: "Phone", uniqueId: "123456")
    let awkward = StoredDevice(id: 8, name: #"Tom's <"Car"> & Co"#, uniqueId: "a,\"b\"\nc")

    @Test func gpxIsATrackOfPointsWithMetresPerSecond() {
        #expect(Self.document(.gpx, device: phone) == """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="itrack" xmlns="http://www.topografix.com/GPX/1/1">
            <trk><name>Phone</name><trkseg>
            <trkpt lat="52.5" lon="13.4"><ele>34.5</ele><time>2026-11-18T11:06:40.000Z</time>\
            <extensions><speed>1.286</speed></extensions></trkpt>
            <trkpt lat="0.00001" lon="-0.5"><ele>0.0</ele><time>2026-11-18T11:06:41.250Z</time>\
            <extensions><speed>0.0</speed></extensions></trkpt>
            </trkseg></trk>
            </gpx>

            """)
    }

    @Test func csvHasAHeaderLineAndQuotesOnlyWhatNeedsIt() {
        #expect(Self.document(.csv, device: phone) == """
            id,deviceid,uniqueid,fixtime,latitude,longitude,altitude,speed_knots,course,accuracy,valid,attributes\r
            101,7,123456,2026-11-18T11:06:40.000Z,52.5,13.4,34.5,2.5,90.0,7.0,true,\
            "{""batteryLevel"":87.0,""motion"":false}"\r
            102,7,123456,2026-11-18T11:06:41.250Z,0.00001,-0.5,0.0,0.0,0.0,0.0,false,{}\r

            """)
    }

    @Test func geoJSONIsAFeatureCollectionOfPointsInLongitudeLatitudeOrder() {
        #expect(Self.document(.geojson, device: phone) == """
            {"type":"FeatureCollection","name":"Phone","features":[
            {"type":"Feature","geometry":{"type":"Point","coordinates":[13.4,52.5,34.5]},"properties":{"id":101,\
            "fixTime":"2026-11-18T11:06:40.000Z","speed":2.5,"course":90.0,"accuracy":7.0,\
            "attributes":{"batteryLevel":87.0,"motion":false}}}
            ,{"type":"Feature","geometry":{"type":"Point","coordinates":[-0.5,1e-05,0.0]},"properties":{"id":102,\
            "fixTime":"2026-11-18T11:06:41.250Z","speed":0.0,"course":0.0,"accuracy":0.0,"attributes":{}}}
            ]}

            """)
    }

    @Test func gpxEscapesMarkupInTheDeviceName() {
        #expect(PositionExportFormat.gpx.header(device: awkward).contains(
            "<name>Tom&apos;s &lt;&quot;Car&quot;&gt; &amp; Co</name>"))
        let control = StoredDevice(id: 9, name: "a\u{01}b\u{1F}c", uniqueId: "x")
        #expect(PositionExportFormat.gpx.header(device: control).contains("<name>abc</name>"),
                "XML 1.0 cannot carry control characters at all")
    }

    @Test func csvQuotesCommasQuotesAndNewlines() {
        let line = PositionExportFormat.csv.row(Self.positions(device: awkward)[1], first: false)
        #expect(line == "102,8,\"a,\"\"b\"\"\nc\",2026-11-18T11:06:41.250Z,0.00001,-0.5,0.0,0.0,0.0,0.0,false,{}\r\n")
        var carriageReturn = Self.positions(device: phone)[1]
        carriageReturn.device.uniqueId = "cr\rhere"
        #expect(PositionExportFormat.csv.row(carriageReturn, first: true).hasPrefix("102,7,\"cr\rhere\","))
    }

    @Test func csvAndGPXNumbersNeverUseExponents() {
        var position = Self.positions(device: phone)[0]
        (position.latitude, position.longitude, position.altitude, position.accuracy) = (-0.0000125, 123.456, 2.5e16, 1e-7)
        #expect(PositionExportFormat.csv.row(position, first: true).contains(
            ",-0.0000125,123.456,25000000000000000.0,2.5,90.0,0.0000001,"))
        #expect(PositionExportFormat.gpx.row(position, first: true).hasPrefix(
            #"<trkpt lat="-0.0000125" lon="123.456"><ele>25000000000000000.0</ele>"#))
    }

    @Test func geoJSONParsesWithTheNameAndAttributesAsObjects() throws {
        for device in [phone, awkward] {
            let data = Data(Self.document(.geojson, device: device).utf8)
            let collection = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(collection["type"] as? String == "FeatureCollection")
            #expect(collection["name"] as? String == device.name)
            let features = try #require(collection["features"] as? [[String: Any]])
            #expect(features.count == 2)
            let geometry = try #require(features[0]["geometry"] as? [String: Any])
            #expect(geometry["coordinates"] as? [Double] == [13.4, 52.5, 34.5])
            let properties = try #require(features[0]["properties"] as? [String: Any])
            let attributes = try #require(properties["attributes"] as? [String: Any])
            #expect(attributes["batteryLevel"] as? Double == 87)
            #expect((features[1]["properties"] as? [String: Any])?["attributes"] as? [String: Any] != nil)
        }
        let empty = PositionExportFormat.geojson.header(device: phone) + PositionExportFormat.geojson.footer
        let parsed = try JSONSerialization.jsonObject(with: Data(empty.utf8)) as? [String: Any]
        #expect((parsed?["features"] as? [Any])?.isEmpty == true, "no positions is still a valid document")
    }

    #if canImport(FoundationXML) || canImport(Darwin)
    @Test func gpxParsesAsXMLWithTheNameAndPoints() throws {
        for device in [phone, awkward] {
            let reader = GPXReader()
            let parser = XMLParser(data: Data(Self.document(.gpx, device: device).utf8))
            parser.shouldProcessNamespaces = true
            parser.delegate = reader
            #expect(parser.parse(), "\(parser.parserError.map(String.init(describing:)) ?? "")")
            #expect(reader.namespace == "http://www.topografix.com/GPX/1/1")
            #expect(reader.name == device.name)
            #expect(reader.points == [["lat": "52.5", "lon": "13.4"], ["lat": "0.00001", "lon": "-0.5"]])
            #expect(reader.times == ["2026-11-18T11:06:40.000Z", "2026-11-18T11:06:41.250Z"])
        }
    }
    #endif

    @Test func formatsNameTheirFilesAndContent() {
        #expect(PositionExportFormat(rawValue: "geojson") == .geojson)
        #expect(PositionExportFormat.allCases.map(\.fileExtension) == ["gpx", "csv", "geojson"])
        #expect(PositionExportFormat.allCases.map(\.contentType)
                == ["application/gpx+xml", "text/csv; charset=utf-8", "application/geo+json"])
    }
}

#if canImport(FoundationXML) || canImport(Darwin)
/// Collects what a GPX reader would show: the track's name, its points' coordinates and times.
private final class GPXReader: NSObject, XMLParserDelegate {
    var namespace: String?
    var name = ""
    var points: [[String: String]] = []
    var times: [String] = []
    private var text = ""

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if element == "gpx" { namespace = namespaceURI }
        if element == "trkpt" { points.append(attributes) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "name" { name = text }
        if element == "time" { times.append(text) }
    }
}
#endif
