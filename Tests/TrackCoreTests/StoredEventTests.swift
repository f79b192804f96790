import Foundation
import Testing
import TrackCore

@Suite struct StoredEventTests {
    /// 2025-06-15T15:06:40Z.
    static let time = Date(timeIntervalSince1970: 1_750_000_000)

    @Test func eventJSONHasTraccarsShape() {
        let event = StoredEvent(id: 7, type: "geofenceEnter", eventTime: Self.time, deviceId: 1, positionId: 42,
                                geofenceId: 3, attributes: "{}")
        let traccar = #"""
            {"id":7,"attributes":{},"deviceId":1,"type":"geofenceEnter","eventTime":"2025-06-15T15:06:40.000+00:00",\#
            "positionId":42,"geofenceId":3,"maintenanceId":0}
            """#
        #expect(event.traccarJSON == traccar)
        #expect(event.forwardedJSON == #"{"event":"# + traccar + "}")
    }

    @Test func attributesPassThroughAndEmptyBecomesAnObject() {
        let stay = StoredEvent(id: 9_000_000_001, type: "stayStart", eventTime: Self.time + 0.25, deviceId: 12,
                               positionId: 0, geofenceId: 0, attributes: #"{"latitude":48.8566,"longitude":2.3522}"#)
        #expect(stay.traccarJSON == #"""
            {"id":9000000001,"attributes":{"latitude":48.8566,"longitude":2.3522},"deviceId":12,"type":"stayStart",\#
            "eventTime":"2025-06-15T15:06:40.250+00:00","positionId":0,"geofenceId":0,"maintenanceId":0}
            """#)

        let bare = StoredEvent(id: 8, type: "geofenceExit", eventTime: Self.time, deviceId: 1, positionId: 43,
                               geofenceId: 3, attributes: "")
        #expect(bare.traccarJSON == #"""
            {"id":8,"attributes":{},"deviceId":1,"type":"geofenceExit","eventTime":"2025-06-15T15:06:40.000+00:00",\#
            "positionId":43,"geofenceId":3,"maintenanceId":0}
            """#)
        #expect(bare.forwardedJSON == #"{"event":"# + bare.traccarJSON + "}")
    }

    /// Whatever the type says, the text stays one JSON object a consumer can parse.
    @Test func theTypeIsEscaped() throws {
        let odd = StoredEvent(id: 1, type: "alarm \"sos\"\n", eventTime: Self.time, deviceId: 1, positionId: 0,
                              geofenceId: 0, attributes: "{}")
        #expect(odd.traccarJSON.contains(#""type":"alarm \"sos\"\n""#))
        let parsed = try JSONSerialization.jsonObject(with: Data(odd.forwardedJSON.utf8)) as? [String: Any]
        let event = try #require(parsed?["event"] as? [String: Any])
        #expect(event["type"] as? String == "alarm \"sos\"\n")
        #expect(event["eventTime"] as? String == "2025-06-15T15:06:40.000+00:00")
        #expect(event["maintenanceId"] as? Int == 0)
    }
}
