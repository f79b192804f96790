import Testing
import TrackCore

@Suite struct PermissionTests {
    static func parse(_ body: String) throws(JSONBody.Failure) -> Permission {
        try Permission(json: Array(body.utf8))
    }

    static func failure(_ body: String) -> String? {
        do {
            _ = try parse(body)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func readsEachKindInEitherOrder() throws {
        #expect(try Self.parse(#"{"userId":2,"deviceId":5}"#) == .userDevice(userId: 2, deviceId: 5))
        #expect(try Self.parse(#"{"deviceId":5,"userId":2}"#) == .userDevice(userId: 2, deviceId: 5))
        #expect(try Self.parse(#"{"userId":2,"geofenceId":3}"#) == .userGeofence(userId: 2, geofenceId: 3))
        #expect(try Self.parse(#"{"geofenceId":3,"deviceId":5}"#) == .deviceGeofence(deviceId: 5, geofenceId: 3))
        #expect(try Self.parse(#"{"deviceId":5.0,"geofenceId":2147483647}"#)
            == .deviceGeofence(deviceId: 5, geofenceId: 2_147_483_647))
    }

    @Test func namesItsEndsAndTheUserItGivesAccess() throws {
        #expect(Permission.userDevice(userId: 2, deviceId: 5).description == "userId 2 and deviceId 5")
        #expect(Permission.userGeofence(userId: 2, geofenceId: 3).description == "userId 2 and geofenceId 3")
        #expect(Permission.deviceGeofence(deviceId: 5, geofenceId: 3).description == "deviceId 5 and geofenceId 3")
        #expect(Permission.userDevice(userId: 2, deviceId: 5).userId == 2)
        #expect(Permission.userGeofence(userId: 4, geofenceId: 3).userId == 4)
        #expect(Permission.deviceGeofence(deviceId: 5, geofenceId: 3).userId == nil)
    }

    @Test func anythingButTwoKnownPositiveIdsIsRefused() {
        let needsTwo = "permission body needs exactly two of userId, deviceId and geofenceId"
        let cases: [(String, String)] = [
            ("{}", needsTwo),
            (#"{"userId":2}"#, needsTwo),
            (#"{"userId":2,"deviceId":5,"geofenceId":3}"#, needsTwo),
            (#"{"userId":2,"groupId":5}"#,
             "groupId links are not supported; use two of userId, deviceId and geofenceId"),
            (#"{"notificationId":1,"deviceId":5}"#,
             "notificationId links are not supported; use two of userId, deviceId and geofenceId"),
            (#"{"userId":"2","deviceId":5}"#, "userId must be a number, got a string"),
            (#"{"userId":null,"deviceId":5}"#, "userId must be a number, got null"),
            (#"{"userId":0,"deviceId":5}"#, "userId must be a whole number from 1 to 2147483647, got 0"),
            (#"{"userId":2,"deviceId":-5}"#, "deviceId must be a whole number from 1 to 2147483647, got -5"),
            (#"{"userId":2,"deviceId":1.5}"#, "deviceId must be a whole number from 1 to 2147483647, got 1.5"),
            (#"{"userId":2,"deviceId":4294967296}"#,
             "deviceId must be a whole number from 1 to 2147483647, got 4294967296"),
            (#"[{"userId":2,"deviceId":5}]"#, "permission body must be a JSON object, got an array"),
            ("userId=2&deviceId=5", "permission body is not valid JSON"),
        ]
        for (body, message) in cases {
            #expect(Self.failure(body) == message, "\(body)")
        }
    }
}
