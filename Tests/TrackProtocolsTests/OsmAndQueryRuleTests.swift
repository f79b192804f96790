import Foundation
import Testing
import TrackCore
import TrackWire

@testable import TrackProtocols

/// One test per row of the reference's query/form table (§2.3), including the behaviours Traccar was run to confirm.
@Suite struct OsmAndQueryRuleTests {
    let decoder = OsmAndDecoder()

    private func decode(_ query: String, with decoder: OsmAndDecoder = OsmAndDecoder()) throws(DecodeError)
        -> DeviceReport
    {
        try decoder.decode(Sample.query(query), receivedAt: Sample.receivedAt)
    }

    private func reason(_ query: String) -> String? {
        do {
            _ = try decode(query)
            return nil
        } catch {
            return error.reason
        }
    }

    private func fixTime(_ timestamp: String) throws -> Date {
        try decode("id=t&lat=1&lon=2&timestamp=\(timestamp)").position.fixTime
    }

    @Test func integerTimestampIsSecondsBelow2147483647AndMillisecondsFromThere() throws {
        #expect(try fixTime("2147483646") == Date(timeIntervalSince1970: 2_147_483_646))
        #expect(try fixTime("2147483647") == Date(timeIntervalSince1970: 2_147_483.647))
        #expect(try fixTime("1794648600") == Date(timeIntervalSince1970: 1_794_648_600))
        #expect(try fixTime("1794648600123") == Date(timeIntervalSince1970: 1_794_648_600.123))
        #expect(try fixTime("-5") == Date(timeIntervalSince1970: -5))
    }

    /// Spellings of 2026-11-14T09:30:00Z: ISO 8601 with a zone, and the lenient space-separated form in UTC.
    @Test(arguments: [
        "2026-11-14T09:30:00Z", "2026-11-14T09:30Z", "2026-11-14T11:30:00%2B02:00", "2026-11-14T04:30:00-05:00",
        "2026-11-14T10:30:00%2B01:00[Europe/Paris]", "2026-11-14+09%3A30%3A00", "2026-11-14%2009:30:00",
        "2026-11-14+9:30:0", "2026-11-14+09:30:00+garbage", "2025-23-14+09:30:00",
    ])
    func textTimestampIsReadAsTheSameInstant(_ text: String) throws {
        #expect(try fixTime(text) == Date(timeIntervalSince1970: 1_794_648_600))
    }

    @Test(arguments: [
        "2026-11-14T09:30:00", "2026-11-14T11:30:00%2B0200", "2026-11-14t09:30:00Z", "2026-02-30T09:30:00Z",
        "2026-11-14T24:00:00Z", "2026-11-14T09:30:00%2B19:00", "14.11.2026 09:30:00",
    ])
    func textTimestampWithoutZoneOrOutOfRangeIsRefused(_ text: String) {
        #expect(reason("id=t&timestamp=\(text)") != nil)
    }

    @Test func isoTimestampKeepsItsFraction() throws {
        #expect(try fixTime("2026-11-14T09:30:00.250Z") == Date(timeIntervalSince1970: 1_794_648_600.25))
    }

    @Test func timestampOutsideTheYears1To9999IsRefused() throws {
        #expect(reason("id=t&timestamp=9223372036854775807")?.contains("outside the years 1–9999") == true)
        #expect(reason("id=t&timestamp=-9223372036854775808")?.contains("outside the years 1–9999") == true)
        #expect(reason("id=t&timestamp=10000-01-01+00:00:00")?.contains("outside the years 1–9999") == true)
        #expect(reason("id=t&timestamp=0001-01-01T00:00:00%2B01:00")?.contains("outside the years 1–9999") == true)
        #expect(try fixTime("9999-12-31T23:59:59Z") == Date(timeIntervalSince1970: 253_402_300_799))
    }

    @Test func fractionalEpochTimestampIsRefused() {
        #expect(reason("id=t&timestamp=1377177267.5")?.contains("whole number") == true)
        #expect(reason("id=t&timestamp=") != nil)
    }

    @Test func missingTimestampUsesTheReceiveTime() throws {
        let position = try decode("id=t&lat=1&lon=2").position
        #expect(position.fixTime == Sample.receivedAt && position.deviceTime == Sample.receivedAt)
    }

    @Test func chargeIsTrueOnlyForTheWordTrue() throws {
        let values = ["true": true, "TRUE": true, "True": true, "1": false, "yes": false, "": false]
        for (text, expected) in values {
            #expect(try decode("id=t&charge=\(text)").position.attributes["charge"] == .bool(expected), "\(text)")
        }
    }

    @Test func validIsTrueForTrueInAnyCaseOrExactlyOne() throws {
        let values = ["true": true, "TRUE": true, "1": true, "0": false, "false": false, "yes": false, "01": false]
        for (text, expected) in values {
            #expect(try decode("id=t&lat=1&lon=2&valid=\(text)").position.valid == expected, "\(text)")
        }
        #expect(try decode("id=t&lat=1&lon=2").position.valid)
    }

    @Test func laterOfBearingAndHeadingWinsInNettyGroupOrder() throws {
        #expect(try decode("id=t&bearing=10&heading=20").position.course == 20)
        #expect(try decode("id=t&heading=20&bearing=10").position.course == 10)
        // Values are grouped under the first appearance of their name: bearing 10, bearing 30, then heading 20.
        #expect(try decode("id=t&bearing=10&heading=20&bearing=30").position.course == 20)
    }

    @Test(arguments: [
        (SpeedUnit.knots, 10.0), (.kmh, 5.39957), (.mps, 19.4384), (.mph, 8.68976),
    ])
    func speedIsConvertedFromTheConfiguredUnit(unit: SpeedUnit, knots: Double) throws {
        let speed = try decode("id=t&speed=10", with: OsmAndDecoder(speedUnit: unit)).position.speed
        #expect(abs(speed - knots) < 1e-9)
    }

    @Test func numbersFollowJavaParseDouble() throws {
        let position = try decode("id=t&lat=1.0E-4&lon=%2013.5%20&altitude=12d&accuracy=-3.5").position
        #expect(position.latitude == 0.0001 && position.longitude == 13.5)
        #expect(position.altitude == 12 && position.accuracy == -3.5)
        #expect(reason("id=t&lat=inf&lon=1")?.contains("not a number") == true)
        #expect(reason("id=t&speed=0x10")?.contains("not a number") == true)
    }

    @Test func nonFiniteAndOutOfRangeNumbersAreRefused() {
        #expect(reason("id=t&lat=NaN&lon=1")?.contains("not a finite number") == true)
        #expect(reason("id=t&speed=Infinity")?.contains("not a finite number") == true)
        #expect(reason("id=t&altitude=1e400")?.contains("not a finite number") == true)
        #expect(reason("id=t&lat=91&lon=1") == "latitude 91.0 is outside -90…90")
        #expect(reason("id=t&lat=1&lon=-180.5") == "longitude -180.5 is outside -180…180")
        #expect(reason("id=t&lat=-90&lon=180") == nil)
    }

    @Test func lastValueOfARepeatedFieldWins() throws {
        #expect(try decode("id=t&lat=1&lat=2&lon=3").position.latitude == 2)
    }

    @Test func locationCarriesLatitudeAndLongitude() throws {
        let position = try decode("id=t&location=59.3,18.1,99").position
        #expect(position.latitude == 59.3 && position.longitude == 18.1 && !position.outdated)
        #expect(reason("id=t&location=59.3")?.contains("is not lat,lon") == true)
        #expect(reason("id=t&location=59.3,") != nil)
    }

    @Test func withoutBothCoordinatesTheReportIsOutdatedAndInvalid() throws {
        for query in ["id=t", "id=t&lat=52.5", "id=t&lon=13.4&valid=true"] {
            let position = try decode(query).position
            #expect(position.outdated && !position.valid, "\(query)")
            #expect(position.latitude == 0 && position.longitude == 0)
        }
    }

    @Test func idAndDeviceidNameTheDeviceCaseSensitively() throws {
        #expect(try decode("deviceid=abc").uniqueId == "abc")
        #expect(try decode("id=%20abc%09").uniqueId == "abc")
        #expect(try decode("id=a%20b").uniqueId == "a b")
        #expect(try decode("id=x%0A").uniqueId == "x")
        #expect(try decode("id=%C3%A9t%C3%A9%E2%80%83").uniqueId == "été", "an em space is whitespace too")
        #expect(try decode("id=" + String(repeating: "%C3%A9", count: 128)).uniqueId.count == 128)
        #expect(reason("ID=abc") == "no id or deviceid parameter")
        #expect(reason("id=%20%20") == "device id is empty")
        #expect(try decode("id=" + String(repeating: "x", count: 128)).uniqueId.count == 128)
        #expect(reason("id=" + String(repeating: "x", count: 129))?.contains("longer than 128") == true)
        #expect(try decode("id=abc").unknownDeviceStatus == 400)
    }

    @Test func notificationTokenCountsOnlyAfterTheId() throws {
        #expect(try decode("id=t&notificationToken=tok").notificationToken == "tok")
        #expect(try decode("notificationToken=tok&id=t").notificationToken == nil)
        #expect(try decode("id=t&notificationToken=").notificationToken == nil)
        #expect(try decode("id=t&notificationToken=tok").position.attributes.isEmpty)
    }

    @Test func namedParametersBecomeTypedAttributes() throws {
        let attributes = try decode("id=t&batt=87&hdop=0.9&driverUniqueId=D-7&charge=true").position.attributes
        #expect(attributes["batteryLevel"] == .double(87))
        #expect(attributes["hdop"] == .double(0.9))
        #expect(attributes["driverUniqueId"] == .string("D-7"))
        #expect(attributes["batt"] == nil)
        #expect(reason("id=t&batt=full")?.contains("batt") == true)
    }

    @Test func otherParametersBecomeAttributesTypedLikeTraccar() throws {
        let attributes = try decode("id=t&rpm=933&temp=-3.5&motion=true&ignition=TRUE&alarm=sos&fuel=&driverUniqueId=")
            .position.attributes
        #expect(Array(attributes.keys) == ["rpm", "temp", "motion", "ignition", "alarm"])
        #expect(attributes["rpm"] == .double(933))
        #expect(attributes["temp"] == .double(-3.5))
        #expect(attributes["motion"] == .bool(true))
        #expect(attributes["ignition"] == .string("TRUE"))
        #expect(attributes["alarm"] == .string("sos"))
    }

    @Test func cellTowersAreInt32WithPositiveSignalNegated() throws {
        let network = try #require(
            try decode("id=t&cell=262,02,41215,2601,75&cell=262,2,41215,2602,-80,9&cell=1,2,3,4,").position.network)
        #expect(
            network.cellTowers == [
                CellTower(
                    mobileCountryCode: 262, mobileNetworkCode: 2, locationAreaCode: 41215, cellId: 2601,
                    signalStrength: -75),
                CellTower(
                    mobileCountryCode: 262, mobileNetworkCode: 2, locationAreaCode: 41215, cellId: 2602,
                    signalStrength: -80),
                CellTower(mobileCountryCode: 1, mobileNetworkCode: 2, locationAreaCode: 3, cellId: 4),
            ])
        #expect(reason("id=t&cell=262,2,41215")?.contains("mcc,mnc,lac,cid") == true)
        #expect(reason("id=t&cell=262,2,41215,2147483648")?.contains("32-bit") == true)
        #expect(reason("id=t&cell=262,2,,2601") != nil)
    }

    @Test func wifiMacsUseColonsAndSignalIsNegated() throws {
        let network = try #require(try decode("id=t&wifi=a4-2b-b0-11-22-33,51").position.network)
        #expect(network.wifiAccessPoints == [WifiAccessPoint(macAddress: "a4:2b:b0:11:22:33", signalStrength: -51)])
        #expect(network.cellTowers.isEmpty)
        #expect(reason("id=t&wifi=a4-2b-b0-11-22-33")?.contains("mac,rssi") == true)
        #expect(try decode("id=t").position.network == nil)
    }

    @Test func bodyIsReadOnlyWhenTheTargetHasNoParameters() throws {
        let both = Sample.form("id=from-body&lat=1&lon=2", target: "/?id=from-target")
        #expect(try decoder.decode(both, receivedAt: Sample.receivedAt).uniqueId == "from-target")
        for target in ["/", "/?", "/?&", "/path"] {
            let request = Sample.form("id=from-body&lat=1&lon=2", target: target)
            #expect(try decoder.decode(request, receivedAt: Sample.receivedAt).uniqueId == "from-body", "\(target)")
        }
    }

    @Test func methodAndPathAreIgnored() throws {
        let request = Sample.query("id=t&lat=1&lon=2", method: "PUT", path: "/anything/at/all")
        #expect(try decoder.decode(request, receivedAt: Sample.receivedAt).position.latitude == 1)
    }

    @Test func brokenEncodingIsRefusedWithItsOffsetAndTheRawRequest() {
        #expect(
            throws: DecodeError(
                protocolName: "osmand", reason: "query string: invalid percent escape at offset 9",
                raw: "/?id=t&lat=%zz")
        ) { try decode("id=t&lat=%zz") }
        let body = Sample.form("id=t&name=%FF\r\n")
        let error = #expect(throws: DecodeError.self) { try decoder.decode(body, receivedAt: Sample.receivedAt) }
        #expect(error?.reason == "form body: text is not valid UTF-8 after percent-decoding at offset 10")
        #expect(error?.raw == "/ id=t&name=%FF\\x0D\\x0A")
    }

    @Test func reasonsStayOnOneLineAndShort() throws {
        let long = String(repeating: "9", count: 100)
        let text = try #require(reason("id=t&lat=%0A\(long)x"))
        #expect(!text.contains("\n") && text.contains("\\x0A") && text.contains("…"))
        #expect(text.count < 120)
    }
}
