import Foundation
import Testing
import TrackCore
import TrackAnalytics

@Suite struct PositionMessageTests {
    /// Milliseconds since 1970, which is as precise as Traccar's JSON times go.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Every field the analytics read differs from every other, and the fix time from the device and server
    /// times, so a field read from the wrong place shows.
    @Test func readsBackWhatThePublisherForwards() throws {
        let device = StoredDevice(id: 42, name: "Courier 7", uniqueId: "860906040123456", status: "online",
                                  lastUpdate: Date(timeIntervalSince1970: 1_795_947_400), positionId: 4_294_967_301,
                                  groupId: 3, phone: "+33612345678", model: "Pixel 8", category: "person",
                                  attributes: #"{"speedLimit":5.0}"#)
        let position = StoredPosition(
            id: 4_294_967_301, deviceId: 42, protocolName: "osmand",
            serverTime: Date(timeIntervalSince1970: 1_795_947_331.5),
            deviceTime: Date(timeIntervalSince1970: 1_795_947_330),
            fixTime: Date(timeIntervalSince1970: 1_795_947_329.123), valid: true, latitude: -33.868_812_3,
            longitude: 151.209_345_6, altitude: 58.5, speed: 3.25, course: 271.5, address: "George St",
            accuracy: 12.5, attributes: #"{"batteryLevel":87.0,"motion":true}"#, network: nil, device: device)

        let (fix, uniqueId) = try PositionMessage.decode(Array(position.forwardedJSON.utf8))

        #expect(fix.deviceId == 42)
        #expect(fix.positionId == 4_294_967_301)
        #expect(Self.milliseconds(fix.fixTime) == 1_795_947_329_123)
        #expect(fix.latitude == -33.868_812_3)
        #expect(fix.longitude == 151.209_345_6)
        #expect(fix.speed == 3.25)
        #expect(fix.accuracy == 12.5)
        #expect(uniqueId == "860906040123456")
    }

    /// A message as Traccar's Kafka forwarder writes it, but from a producer that writes `Z` times.
    @Test func readsATraccarShapedMessage() throws {
        let message = """
            {"position":{"id":918273,"attributes":{"batteryLevel":64.0,"distance":12.4,"totalDistance":5120.7,\
            "motion":true},"deviceId":17,"protocol":"osmand","serverTime":"2026-11-29T10:15:31.004Z",\
            "deviceTime":"2026-11-29T10:15:30.000Z","fixTime":"2026-11-29T10:15:30.250Z","valid":true,\
            "latitude":52.520008,"longitude":13.404954,"altitude":34.0,"speed":2.7,"course":88.0,\
            "address":null,"accuracy":4.8,"network":null,"geofenceIds":null},\
            "device":{"id":17,"attributes":{},"groupId":0,"calendarId":0,"name":"Anna","uniqueId":"anna-phone",\
            "status":"online","lastUpdate":"2026-11-29T10:15:31.004Z","positionId":918273,"phone":null,\
            "model":null,"contact":null,"category":null,"disabled":false,"expirationTime":null}}
            """

        let (fix, uniqueId) = try PositionMessage.decode(Array(message.utf8))

        #expect(fix.deviceId == 17)
        #expect(fix.positionId == 918_273)
        // 2026-11-29T10:15:30Z is 1_795_947_330 s after 1970.
        #expect(Self.milliseconds(fix.fixTime) == 1_795_947_330_250)
        #expect(fix.latitude == 52.520008)
        #expect(fix.longitude == 13.404954)
        #expect(fix.speed == 2.7)
        #expect(fix.accuracy == 4.8)
        #expect(uniqueId == "anna-phone")
    }

    @Test func speedAndAccuracyMissingReadAsZero() throws {
        let message = """
            {"position":{"id":5,"deviceId":2,"fixTime":"2026-11-29T10:15:30.000+00:00","latitude":1.5,\
            "longitude":-2.5},"device":{"uniqueId":"b"}}
            """
        let (fix, uniqueId) = try PositionMessage.decode(Array(message.utf8))
        #expect(fix == Fix(deviceId: 2, positionId: 5, fixTime: Date(timeIntervalSince1970: 1_795_947_330),
                           latitude: 1.5, longitude: -2.5, speed: 0, accuracy: 0))
        #expect(uniqueId == "b")
    }

    @Test func textThatIsNotJSONIsRefused() {
        let error = #expect(throws: PositionMessage.DecodeError.self) {
            try PositionMessage.decode(Array("position 7 at 52.5,13.4".utf8))
        }
        #expect(error?.description.hasPrefix("not a position message") == true)
    }

    @Test func aPositionWithoutAnIdIsRefused() {
        let message = """
            {"position":{"deviceId":17,"fixTime":"2026-11-29T10:15:30.250Z","latitude":52.5,"longitude":13.4,\
            "speed":0.0,"accuracy":0.0},"device":{"uniqueId":"anna-phone"}}
            """
        let error = #expect(throws: PositionMessage.DecodeError.self) {
            try PositionMessage.decode(Array(message.utf8))
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("not a position message"))
        #expect(description.contains("\"id\""))
    }

    @Test func aFixTimeThatIsNoTraccarTimeIsRefused() {
        let message = """
            {"position":{"id":7,"deviceId":17,"fixTime":"yesterday","latitude":52.5,"longitude":13.4},\
            "device":{"uniqueId":"anna-phone"}}
            """
        let error = #expect(throws: PositionMessage.DecodeError.self) {
            try PositionMessage.decode(Array(message.utf8))
        }
        #expect(error?.description == "position 7: fixTime yesterday is not a Traccar time")
    }
}
