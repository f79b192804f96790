import Foundation
import Testing
import TrackCore
import TrackWire

@testable import TrackProtocols

/// One test per row of the reference's JSON table (§2.4), the Traccar Client 9.x format.
@Suite struct OsmAndJSONRuleTests {
    static let coords = #""latitude":48.85,"longitude":2.29,"accuracy":15,"speed":2,"heading":90,"altitude":35"#

    private func body(location: String, deviceId: String = #""fx-json""#) -> String {
        #"{"device_id":\#(deviceId),"location":{"timestamp":"2026-11-15T07:12:30.5Z"\#(location)}}"#
    }

    private func decode(_ location: String, decoder: OsmAndDecoder = OsmAndDecoder()) throws(DecodeError)
        -> DeviceReport
    {
        try decoder.decode(Sample.json(body(location: location)), receivedAt: Sample.receivedAt)
    }

    private func reason(_ body: String, contentType: String? = "application/json") -> String? {
        do {
            _ = try OsmAndDecoder().decode(Sample.json(body, contentType: contentType), receivedAt: Sample.receivedAt)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func coordsGiveAValidFixWithSpeedConvertedFromMetresPerSecond() throws {
        let report = try decode(#","coords":{\#(Self.coords)}"#)
        let position = report.position
        #expect(report.uniqueId == "fx-json" && report.unknownDeviceStatus == 404)
        #expect(position.valid && !position.outdated)
        #expect(position.latitude == 48.85 && position.longitude == 2.29 && position.altitude == 35)
        #expect(position.speed == 2 * 1.943_84 && position.course == 90 && position.accuracy == 15)
        #expect(
            position.fixTime == Date(timeIntervalSince1970: 1_794_726_750.5) && position.deviceTime == position.fixTime)
    }

    @Test func withoutCoordsTheReportIsOutdatedAndInvalid() throws {
        let position = try decode("").position
        #expect(position.outdated && !position.valid && position.latitude == 0)
        #expect(position.fixTime == Date(timeIntervalSince1970: 1_794_726_750.5))
    }

    @Test(arguments: ["latitude", "longitude", "accuracy", "speed", "heading", "altitude"])
    func everyCoordinateIsRequired(_ missing: String) {
        let coords = Self.coords.split(separator: ",").filter { !$0.contains("\"\(missing)\"") }.joined(separator: ",")
        #expect(reason(body(location: #","coords":{\#(coords)}"#)) == "location.coords.\(missing) is missing")
    }

    @Test func negativeSpeedAndHeadingMeanUnknown() throws {
        let position = try decode(
            #","coords":{"latitude":1,"longitude":2,"accuracy":20,"speed":-1,"heading":-1,"altitude":0}"#
        )
        .position
        #expect(position.speed == 0 && position.course == 0)
    }

    @Test func accuracyBelowMinAccuracyIsStoredAsZero() throws {
        func accuracy(_ value: Double, minimum: Double = 10) throws -> Double {
            let coords = #""latitude":1,"longitude":2,"accuracy":\#(value),"speed":0,"heading":0,"altitude":0"#
            return try decode(#","coords":{\#(coords)}"#, decoder: OsmAndDecoder(minAccuracy: minimum)).position
                .accuracy
        }
        #expect(try accuracy(5) == 0)
        #expect(try accuracy(10) == 10)
        #expect(try accuracy(15) == 15)
        #expect(try accuracy(5, minimum: 3) == 5)
    }

    @Test func locationMembersBecomeAttributesInTraccarOrder() throws {
        let attributes = try decode(
            #"""
            ,"extras":{},"alarm":"sos","battery":{"level":0.79,"is_charging":true},"activity":{"type":"in_vehicle"},
            "mock":true,"odometer":1234.7,"is_moving":false,"event":"motionchange","uuid":"x","age":12
            """#
        ).position.attributes
        #expect(
            Array(attributes.keys) == [
                "event", "motion", "odometer", "mock", "activity", "batteryLevel", "charge", "alarm",
            ])
        #expect(attributes["event"] == .string("motionchange"))
        #expect(attributes["motion"] == .bool(false))
        #expect(attributes["odometer"] == .integer(1234))
        #expect(attributes["mock"] == .bool(true))
        #expect(attributes["activity"] == .string("in_vehicle"))
        #expect(attributes["batteryLevel"] == .integer(79))
        #expect(attributes["charge"] == .bool(true))
        #expect(attributes["alarm"] == .string("sos"))
    }

    @Test func batteryLevelIsAPercentIntegerAndNegativeOrNotChargingIsLeftOut() throws {
        #expect(
            try decode(#","battery":{"level":0.5,"is_charging":false}"#).position.attributes == [
                "batteryLevel": .integer(50)
            ])
        #expect(try decode(#","battery":{"level":-1,"is_charging":false}"#).position.attributes.isEmpty)
        #expect(reason(body(location: #","battery":{"level":0.5}"#)) == "location.battery.is_charging is missing")
    }

    @Test func extrasAreCopiedWithJSONTypesSortedByKey() throws {
        let attributes = try decode(
            #"""
            ,"extras":{"zeta":"z","count":3,"ratio":0.5,"heartbeat":true,"empty":"","none":null,
                       "list":[1],"map":{"a":1},"alarm":"fall"}
            """#
        ).position.attributes
        #expect(Array(attributes.keys) == ["alarm", "count", "heartbeat", "ratio", "zeta"])
        #expect(attributes["alarm"] == .string("fall"))
        #expect(attributes["count"] == .integer(3))
        #expect(attributes["heartbeat"] == .bool(true))
        #expect(attributes["ratio"] == .double(0.5))
        #expect(attributes["zeta"] == .string("z"))
    }

    @Test func extrasAlarmGivesWayToLocationAlarm() throws {
        let attributes = try decode(#","alarm":"sos","extras":{"alarm":"fall"}"#).position.attributes
        #expect(attributes == ["alarm": .string("sos")])
    }

    @Test func malformedBodiesAreRefusedWithAReason() {
        #expect(reason("[" + body(location: "") + "]") == "JSON body is an array, not an object")
        #expect(reason(body(location: "", deviceId: "48241179")) == "device_id is a number, not a string")
        #expect(reason(body(location: "", deviceId: #""  ""#)) == "device id is empty")
        #expect(reason(#"{"location":{"timestamp":"2026-11-15T07:12:30Z"}}"#) == "device_id is missing")
        #expect(reason(#"{"device_id":"x"}"#) == "location is missing")
        #expect(
            reason(#"{"device_id":"x","location":{"timestamp":1794726750}}"#)
                == "location.timestamp is a number, not a string")
        #expect(
            reason(#"{"device_id":"x","location":{"timestamp":"2026-11-15T07:12:30"}}"#)?.contains("with a zone")
                == true)
        #expect(
            reason(#"{"device_id":"x","location":{"timestamp":"2026-11-15T07:12:30Z","coords":null}}"#)
                == "location.coords is null, not an object")
        #expect(
            reason(#"{"device_id":"x","location":{"timestamp":"2026-11-15T07:12:30Z","is_moving":"yes"}}"#)
                == "location.is_moving is a string, not a boolean")
        #expect(reason(#"{"device_id":"x","#) == "body is not valid JSON")
        #expect(
            reason(#"{"device_id":"x","location":{"timestamp":"2026-11-15T07:12:30Z","odometer":1e400}}"#)
                == "body is not valid JSON")
    }

    @Test func latitudeOutsideRangeIsRefused() {
        let coords = #""latitude":-90.5,"longitude":2,"accuracy":1,"speed":0,"heading":0,"altitude":0"#
        #expect(reason(body(location: #","coords":{\#(coords)}"#)) == "latitude -90.5 is outside -90…90")
    }

    @Test func contentTypeSelectsJSONByCaseSensitivePrefix() {
        let json = body(location: "")
        #expect(reason(json, contentType: "application/json; charset=utf-8") == nil)
        #expect(reason(json, contentType: "Application/JSON") == "no id or deviceid parameter")
        #expect(reason(json, contentType: nil) == "no id or deviceid parameter")
    }

    @Test func jsonValueKeepsBooleansAndNumbersApart() throws {
        func value(_ text: String) throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        }
        #expect(try value("true") == .bool(true))
        #expect(try value("false") == .bool(false))
        #expect(try value("1") == .integer(1))
        #expect(try value("0") == .integer(0))
        #expect(try value("1.5") == .double(1.5))
        #expect(try value("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try value(#""1""#) == .string("1"))
        #expect(try value("null") == .null)
        #expect(try value(#"[true,1]"#) == .array([.bool(true), .integer(1)]))
        #expect(try value(#"{"a":{"b":false}}"#) == .object(["a": .object(["b": .bool(false)])]))
        #expect(throws: (any Error).self) { try value("1e400") }
        // JSONValue relies on Foundation refusing these crossings (Darwin's NSNumber bridging once allowed them).
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Bool.self, from: Data("1".utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Int64.self, from: Data("true".utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Double.self, from: Data("false".utf8)) }
    }
}
