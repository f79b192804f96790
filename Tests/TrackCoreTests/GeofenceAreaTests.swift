import Foundation
import Testing
import TrackCore

@Suite struct GeofenceAreaTests {
    /// Along a meridian or the equator the haversine distance is exactly the arc, so offsets in metres
    /// convert to degrees by plain arithmetic on Traccar's sphere.
    static let metresPerDegree = 6_378_137.0 * .pi / 180
    static let paris = GeofenceArea.Point(latitude: 48.8566, longitude: 2.3522)

    static func point(_ latitude: Double, _ longitude: Double) -> GeofenceArea.Point {
        GeofenceArea.Point(latitude: latitude, longitude: longitude)
    }

    static func degrees(_ metres: Double) -> Double { metres / metresPerDegree }

    @Test(arguments: [
        "CIRCLE (60.5 -30.25, 100)", "CIRCLE(60.5 -30.25,100)", "  circle ( 60.5  -30.25 ,  100.0 ) ",
        "Circle\t(\n60.5\t-30.25,\n1e2)", "CIRCLE (+60.5 -30.250, 100.)",
    ])
    func parsesACircleWrittenAnyWay(text: String) throws {
        #expect(try GeofenceArea(wkt: text) == .circle(latitude: 60.5, longitude: -30.25, radius: 100))
    }

    @Test(arguments: [
        "POLYGON((1 2, -3.5 4, 5 -6e1))", "POLYGON ((1 2,-3.5 4,5 -60))", " polygon ( ( 1  2 , -3.5 4 , 5 -60.0 ) ) ",
    ])
    func parsesAPolygonWrittenAnyWay(text: String) throws {
        let corners = [Self.point(1, 2), Self.point(-3.5, 4), Self.point(5, -60)]
        #expect(try GeofenceArea(wkt: text) == .polygon(corners))
    }

    @Test func keepsAPolygonsClosingCorner() throws {
        let area = try GeofenceArea(wkt: "POLYGON ((1 2, 3 4, 5 6, 1 2))")
        #expect(area == .polygon([Self.point(1, 2), Self.point(3, 4), Self.point(5, 6), Self.point(1, 2)]))
    }

    @Test func parsesALineStringWithTheConfiguredReach() throws {
        let points = [Self.point(-1, 179.5), Self.point(0, -180), Self.point(90, 0)]
        #expect(try GeofenceArea(wkt: "LINESTRING(-1 179.5,0 -180,90 0)") == .polyline(points, distance: 25))
        #expect(try GeofenceArea(wkt: "linestring ( -1 179.5 , 0 -180, 90 0 )", polylineDistance: 40)
            == .polyline(points, distance: 40))
    }

    @Test func writesTraccarsTextAndReadsItBack() throws {
        let areas: [(GeofenceArea, String)] = [
            (.circle(latitude: 60, longitude: 30, radius: 100), "CIRCLE (60.0 30.0, 100.0)"),
            (.circle(latitude: -33.868_82, longitude: 151.209_29, radius: 0.5), "CIRCLE (-33.86882 151.20929, 0.5)"),
            (.polygon([Self.point(1, 2), Self.point(3, 4.25), Self.point(-5, 0.000_01)]),
             "POLYGON ((1.0 2.0, 3.0 4.25, -5.0 1e-05))"),
            (.polyline([Self.point(10, -20), Self.point(10.5, -20.5)], distance: 30),
             "LINESTRING (10.0 -20.0, 10.5 -20.5)"),
        ]
        for (area, text) in areas {
            #expect(area.wkt == text)
            let distance = if case let .polyline(_, distance) = area { distance } else { 25.0 }
            #expect(try GeofenceArea(wkt: area.wkt, polylineDistance: distance) == area)
        }
    }

    @Test func aCircleHoldsWhatLiesWithinItsRadius() throws {
        let centre = Self.paris
        let area = try GeofenceArea(wkt: "CIRCLE (\(centre.latitude) \(centre.longitude), 100)")
        #expect(area.contains(latitude: centre.latitude, longitude: centre.longitude))
        #expect(area.contains(latitude: centre.latitude + Self.degrees(99), longitude: centre.longitude))
        #expect(!area.contains(latitude: centre.latitude + Self.degrees(101), longitude: centre.longitude))
        #expect(area.contains(latitude: centre.latitude - Self.degrees(99), longitude: centre.longitude))
        #expect(!area.contains(latitude: centre.latitude - Self.degrees(101), longitude: centre.longitude))
        let equator = GeofenceArea.circle(latitude: 0, longitude: 179.9995, radius: 100)
        #expect(equator.contains(latitude: 0, longitude: 179.9995 + Self.degrees(99) - 360))
        #expect(!equator.contains(latitude: 0, longitude: 179.9995 + Self.degrees(101) - 360))
    }

    /// On the mean Earth radius the point 10,010 m away would measure 9,999 m and fall inside.
    @Test func circlesMeasureOnTheEquatorialRadiusAsTraccarDoes() {
        let area = GeofenceArea.circle(latitude: Self.paris.latitude, longitude: Self.paris.longitude, radius: 10_000)
        #expect(area.contains(latitude: Self.paris.latitude + Self.degrees(9_990), longitude: Self.paris.longitude))
        #expect(!area.contains(latitude: Self.paris.latitude + Self.degrees(10_010), longitude: Self.paris.longitude))
    }

    /// A U open to the north: the notch between the arms is outside although the bounding box holds it.
    @Test func aConcavePolygonLeavesItsNotchOut() throws {
        let open = try GeofenceArea(wkt: "POLYGON ((0 0, 0 3, 3 3, 3 2, 1 2, 1 1, 3 1, 3 0))")
        let closed = try GeofenceArea(wkt: "POLYGON ((0 0, 0 3, 3 3, 3 2, 1 2, 1 1, 3 1, 3 0, 0 0))")
        let inside = [(0.5, 1.5), (2, 0.5), (2, 2.5), (2.9, 2.9), (0.1, 0.1)]
        let outside = [(2, 1.5), (1.5, 1.5), (3.5, 0.5), (-0.5, 1.5), (0.5, -0.1), (0.5, 3.1)]
        for area in [open, closed] {
            for (latitude, longitude) in inside { #expect(area.contains(latitude: latitude, longitude: longitude)) }
            for (latitude, longitude) in outside { #expect(!area.contains(latitude: latitude, longitude: longitude)) }
        }
    }

    @Test func aPolygonAcrossTheAntimeridianTakesTheShortWayRound() throws {
        let area = try GeofenceArea(wkt: "POLYGON ((-1 179, 1 179, 1 -179, -1 -179))")
        #expect(area.contains(latitude: 0, longitude: 179.5))
        #expect(area.contains(latitude: 0, longitude: 180))
        #expect(area.contains(latitude: 0, longitude: -179.5))
        #expect(!area.contains(latitude: 0, longitude: 0))
        #expect(!area.contains(latitude: 0, longitude: 178.5))
        #expect(!area.contains(latitude: 2, longitude: 179.5))
    }

    /// A route east along the equator for 0.01° (1,113 m), then north for as much.
    @Test func aLineStringHoldsWhatLiesWithinItsReach() throws {
        let route = try GeofenceArea(wkt: "LINESTRING (0 0, 0 0.01, 0.01 0.01)")
        #expect(route.contains(latitude: Self.degrees(24), longitude: 0.005))
        #expect(!route.contains(latitude: Self.degrees(26), longitude: 0.005))
        #expect(route.contains(latitude: -Self.degrees(24), longitude: 0.005))
        #expect(route.contains(latitude: 0, longitude: 0.005))
        #expect(route.contains(latitude: 0, longitude: -Self.degrees(24)))
        #expect(!route.contains(latitude: 0, longitude: -Self.degrees(26)))
        #expect(route.contains(latitude: 0.005, longitude: 0.01 + Self.degrees(24)))
        #expect(!route.contains(latitude: 0.005, longitude: 0.01 + Self.degrees(26)))
        #expect(!route.contains(latitude: 0.005, longitude: 0.005))
        let wide = try GeofenceArea(wkt: route.wkt, polylineDistance: 50)
        #expect(wide.contains(latitude: Self.degrees(49), longitude: 0.005))
        #expect(!wide.contains(latitude: Self.degrees(51), longitude: 0.005))
    }

    /// For this point rounding makes Heron's product for the flat triangle it forms with the segment's ends
    /// come out slightly negative; the point still lies on the route.
    @Test func aPointOnALineStringIsOnIt() {
        let route = GeofenceArea.polyline([Self.point(11, 14), Self.point(11.001, 14)], distance: 25)
        #expect(route.contains(latitude: 11.0007, longitude: 14))
    }

    @Test func aLineStringOfOnePlaceTwiceHoldsWhatLiesNearIt() {
        let place = GeofenceArea.polyline([Self.paris, Self.paris], distance: 25)
        #expect(place.contains(latitude: Self.paris.latitude + Self.degrees(24), longitude: Self.paris.longitude))
        #expect(!place.contains(latitude: Self.paris.latitude + Self.degrees(26), longitude: Self.paris.longitude))
    }

    static let rejections: [(String, String)] = [
        ("", "geofence area is empty"),
        (" \t", "geofence area is empty"),
        ("(1 2)", "geofence area must start with CIRCLE, POLYGON or LINESTRING"),
        ("POINT (1 2)", "unknown geofence shape 'POINT'; expected CIRCLE, POLYGON or LINESTRING"),
        ("CIRCLE 60 30, 100", "expected '(' at offset 7, found '60 30, 100'"),
        ("CIRCLE (60 30)", "expected ',' at offset 13, found ')'"),
        ("CIRCLE (60, 100)", "expected the longitude at offset 10, found ', 100)'"),
        ("CIRCLE (60 30 40, 100)", "expected ',' at offset 14, found '40, 100)'"),
        ("CIRCLE (sixty 30, 100)", "latitude 'sixty' is not a number"),
        ("CIRCLE (60 0x1E, 100)", "longitude '0x1E' is not a number"),
        ("CIRCLE (nan 30, 100)", "latitude 'nan' is not a number"),
        ("CIRCLE (60 30, 100m)", "radius '100m' is not a number"),
        ("CIRCLE (91 30, 100)", "latitude 91.0 is outside [-90, 90]"),
        ("CIRCLE (-90.5 30, 100)", "latitude -90.5 is outside [-90, 90]"),
        ("CIRCLE (60 180.01, 100)", "longitude 180.01 is outside [-180, 180]"),
        ("CIRCLE (60 -181, 100)", "longitude -181.0 is outside [-180, 180]"),
        ("CIRCLE (60 30, 0)", "radius 0.0 is not a positive number of metres"),
        ("CIRCLE (60 30, -5)", "radius -5.0 is not a positive number of metres"),
        ("CIRCLE (60 30, 1e999)", "radius inf is not a positive number of metres"),
        ("CIRCLE (60 30, 100", "expected ')' at offset 18, found the end of the text"),
        ("CIRCLE (60 30, 100) x", "unexpected 'x' after the end of the CIRCLE"),
        ("circle (60 30, 100))", "unexpected ')' after the end of the CIRCLE"),
        ("POLYGON (1 2, 3 4, 5 6)", "expected '(' at offset 9, found '1 2, 3 4, 5 6)'"),
        ("POLYGON ((1 2, 3 4))", "POLYGON needs at least 3 corners besides a closing one, got 2"),
        ("POLYGON ((1 2, 3 4, 1 2))", "POLYGON needs at least 3 corners besides a closing one, got 2"),
        ("POLYGON ((1 2, 3 4, 5 6,))", "expected the latitude at offset 24, found '))'"),
        ("POLYGON ((1 2, 3 4, 5 6)", "expected ')' at offset 24, found the end of the text"),
        ("LINESTRING (1 2)", "LINESTRING needs at least 2 points, got 1"),
        ("LINESTRING ()", "expected the latitude at offset 12, found ')'"),
        ("LINESTRING (1 2, 3 4) POLYGON ((1 2, 3 4, 5 6, 7 8))",
         "unexpected 'POLYGON ((1 2, 3 4, ' after the end of the LINESTRING"),
    ]

    @Test(arguments: rejections)
    func refusesMalformedText(text: String, message: String) {
        let error = #expect(throws: GeofenceAreaError.self) { try GeofenceArea(wkt: text) }
        #expect(error?.message == message)
        #expect(error?.description == message)
    }
}
