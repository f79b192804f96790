import Foundation
import Testing
import TrackCore

@Suite struct PositionTests {
    let time = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aReportWithoutCoordinatesTakesTheLastFix() {
        let last = Position(protocolName: "osmand", deviceTime: time, fixTime: time, latitude: 48.1, longitude: 11.6,
                            altitude: 500, speed: 3, course: 45, accuracy: 8)
        let heartbeat = Position(protocolName: "osmand", deviceTime: time.addingTimeInterval(60),
                                 fixTime: time.addingTimeInterval(60), valid: false, outdated: true)
        let filled = heartbeat.fillingOutdated(from: last)
        #expect(filled.fixTime == time)
        #expect(filled.deviceTime == time.addingTimeInterval(60))
        #expect(filled.valid && filled.latitude == 48.1 && filled.longitude == 11.6 && filled.altitude == 500)
        #expect(filled.speed == 3 && filled.course == 45 && filled.accuracy == 8)
    }

    @Test func theFirstReportWithoutCoordinatesGetsTheGPSEpoch() {
        let heartbeat = Position(protocolName: "osmand", deviceTime: time, fixTime: time, valid: true, outdated: true)
        let filled = heartbeat.fillingOutdated(from: nil)
        #expect(filled.fixTime == Date(timeIntervalSince1970: 315_964_800))
        #expect(!filled.valid)
    }

    @Test func attributesBecomeTraccarStyleJSON() {
        let attributes: Attributes = [
            "batteryLevel": .double(87), "odometer": .integer(1234), "charge": .bool(false),
            "note": .string("line\n\"quoted\"\u{1}"), "rpm": .double(933.5),
        ]
        #expect(attributes.jsonText
                == #"{"batteryLevel":87.0,"odometer":1234,"charge":false,"note":"line\n\"quoted\"\u0001","rpm":933.5}"#)
    }

    @Test func networkJSONHasTraccarsShape() {
        let network = Network(
            cellTowers: [CellTower(mobileCountryCode: 262, mobileNetworkCode: 2, locationAreaCode: 1, cellId: 99,
                                   signalStrength: -70)],
            wifiAccessPoints: [WifiAccessPoint(macAddress: "00:11:22:33:44:55", signalStrength: -50)])
        #expect(network.jsonText == #"{"considerIp":false,"cellTowers":[{"cellId":99,"locationAreaCode":1,"#
            + #""mobileCountryCode":262,"mobileNetworkCode":2,"signalStrength":-70}],"wifiAccessPoints":"#
            + #"[{"macAddress":"00:11:22:33:44:55","signalStrength":-50}]}"#)
    }

    @Test func speedsConvertToKnots() {
        #expect(abs(Speed.knots(fromMetresPerSecond: 1) - 1.94384) < 1e-9)
        #expect(abs(Speed.knots(fromKilometresPerHour: 100) - 53.9957) < 1e-9)
    }
}
