import Foundation
import Testing
import TrackCore

@Suite struct StoredGeofenceTests {
    static func parse(_ body: String) throws(JSONBody.Failure) -> StoredGeofence {
        try StoredGeofence(json: Array(body.utf8))
    }

    @Test func geofenceJSONHasTraccarsShape() {
        let home = StoredGeofence(id: 3, name: "Home", area: "CIRCLE (60 30, 100)")
        #expect(home.traccarJSON == #"""
            {"id":3,"attributes":{},"calendarId":0,"name":"Home","description":null,"area":"CIRCLE (60 30, 100)"}
            """#)

        let work = StoredGeofence(id: 12, name: "Work \"HQ\"\n", description: "3rd floor",
                                  area: "POLYGON ((1 2, 3 4, 5 6))", attributes: #"{"ceiling":10,"floor":2}"#,
                                  calendarId: 4)
        #expect(work.traccarJSON == #"""
            {"id":12,"attributes":{"ceiling":10,"floor":2},"calendarId":4,"name":"Work \"HQ\"\n",\#
            "description":"3rd floor","area":"POLYGON ((1 2, 3 4, 5 6))"}
            """#)
        let bare = StoredGeofence(name: "x", area: "CIRCLE (0 0, 1)", attributes: "")
        #expect(bare.traccarJSON.contains(#""attributes":{}"#))
    }

    @Test func parsesAWebAppBody() throws {
        let geofence = try Self.parse(#"""
            {"id":0,"name":"Home","description":"where the cat is","area":"CIRCLE (48.8566 2.3522, 150)",
             "calendarId":0,"attributes":{"speedLimit":27.5,"color":"#ff0000","hide":true}}
            """#)
        #expect(geofence == StoredGeofence(
            id: 0, name: "Home", description: "where the cat is", area: "CIRCLE (48.8566 2.3522, 150)",
            attributes: ##"{"color":"#ff0000","hide":true,"speedLimit":27.5}"##, calendarId: nil))
    }

    @Test func optionalMembersMayBeAbsentOrNullAndUnknownOnesAreIgnored() throws {
        let expected = StoredGeofence(name: "Park", area: "LINESTRING (1 2, 3 4)")
        #expect(try Self.parse(#"{"name":"Park","area":"LINESTRING (1 2, 3 4)"}"#) == expected)
        #expect(try Self.parse(#"""
            {"id":null,"name":"Park","area":"LINESTRING (1 2, 3 4)","description":null,"attributes":null,
             "calendarId":null,"groupId":5,"extra":[1,{"a":null}]}
            """#) == expected)
    }

    @Test func aPutBodyKeepsItsIdAndTheAreaStaysAsWritten() throws {
        let geofence = try Self.parse(#"{"id":41,"name":"n","area":"  circle(60 30,100) ","calendarId":7}"#)
        #expect(geofence.id == 41)
        #expect(geofence.calendarId == 7)
        #expect(geofence.area == "  circle(60 30,100) ")
        #expect(try Self.parse(#"{"id":41.0,"name":"n","area":"CIRCLE (1 1, 1)"}"#).id == 41)
    }

    /// Nested values survive, keys come out sorted at every level, and the text is what a parser reads back.
    @Test func attributesAreRewrittenWithSortedKeys() throws {
        let geofence = try Self.parse(#"""
            {"name":"n","area":"CIRCLE (1 1, 1)","attributes":{"z":[3,"b/c",false],"a":{"y":null,"b":"é\u0001"}}}
            """#)
        #expect(geofence.attributes == #"{"a":{"b":"é\u0001","y":null},"z":[3,"b/c",false]}"#)
        #expect(try Self.parse(#"{"name":"n","area":"CIRCLE (1 1, 1)","attributes":{}}"#).attributes == "{}")
    }

    /// Characters SQL or JSON would treat specially are data: they come back exactly as sent.
    @Test func metacharactersAreKeptVerbatim() throws {
        let name = #"Robert'); DROP TABLE tc_geofences;-- "\ %_ $1"#
        let body = #"{"name":"# + JSONText.quoted(name) + #","description":"a\"b\\c\td","area":"CIRCLE (1 1, 1)"}"#
        let geofence = try Self.parse(body)
        #expect(geofence.name == name)
        #expect(geofence.description == "a\"b\\c\td")
    }

    @Test func traccarJSONParsesBackToTheSameGeofence() throws {
        let original = StoredGeofence(id: 9, name: "Zoo ü \"q\"", description: "d", area: "POLYGON ((1 2, 3 4, 5 6))",
                                      attributes: #"{"floor":1}"#, calendarId: 2)
        #expect(try Self.parse(original.traccarJSON) == original)
    }

    @Test(arguments: [
        ("", "geofence body is not valid JSON"),
        ("{\"name\":", "geofence body is not valid JSON"),
        ("{} x", "geofence body is not valid JSON"),
        ("[]", "geofence body must be a JSON object, got an array"),
        ("\"Home\"", "geofence body must be a JSON object, got a string"),
        ("null", "geofence body must be a JSON object, got null"),
        ("7", "geofence body must be a JSON object, got a number"),
        (#"{"area":"CIRCLE (1 1, 1)"}"#, "name is required"),
        (#"{"name":null,"area":"CIRCLE (1 1, 1)"}"#, "name is required"),
        (#"{"name":5,"area":"CIRCLE (1 1, 1)"}"#, "name must be a string, got a number"),
        (#"{"name":true,"area":"CIRCLE (1 1, 1)"}"#, "name must be a string, got a boolean"),
        (#"{"name":["a"],"area":"CIRCLE (1 1, 1)"}"#, "name must be a string, got an array"),
        (#"{"name":" ","area":"CIRCLE (1 1, 1)"}"#, "name must not be empty"),
        (#"{"name":"a\u0000b","area":"CIRCLE (1 1, 1)"}"#, "name must not contain a NUL character"),
        (#"{"name":"\#(String(repeating: "é", count: 129))","area":"CIRCLE (1 1, 1)"}"#,
         "name has 129 characters, more than the 128 allowed"),
        (#"{"name":"n","description":{},"area":"CIRCLE (1 1, 1)"}"#, "description must be a string, got an object"),
        (#"{"name":"n","description":"\#(String(repeating: "d", count: 129))","area":"CIRCLE (1 1, 1)"}"#,
         "description has 129 characters, more than the 128 allowed"),
        (#"{"name":"n"}"#, "area is required"),
        (#"{"name":"n","area":""}"#, "area must not be empty"),
        (#"{"name":"n","area":100}"#, "area must be a string, got a number"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)\#(String(repeating: " ", count: 4090))"}"#,
         "area has 4105 characters, more than the 4096 allowed"),
        (#"{"name":"n","area":"SQUARE (1 1, 1)"}"#,
         "area is invalid: unknown geofence shape 'SQUARE'; expected CIRCLE, POLYGON or LINESTRING"),
        (#"{"name":"n","area":"CIRCLE (95 1, 1)"}"#, "area is invalid: latitude 95.0 is outside [-90, 90]"),
        (#"{"name":"n","area":"POLYGON ((1 1, 2 2))"}"#,
         "area is invalid: POLYGON needs at least 3 corners besides a closing one, got 2"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)","attributes":[]}"#, "attributes must be an object, got an array"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)","attributes":"{}"}"#, "attributes must be an object, got a string"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)","attributes":{"k":"\#(String(repeating: "v", count: 3993))"}}"#,
         "attributes take 4001 characters as JSON, more than the 4000 allowed"),
        (#"{"id":"3","name":"n","area":"CIRCLE (1 1, 1)"}"#, "id must be a number, got a string"),
        (#"{"id":false,"name":"n","area":"CIRCLE (1 1, 1)"}"#, "id must be a number, got a boolean"),
        (#"{"id":1.5,"name":"n","area":"CIRCLE (1 1, 1)"}"#, "id must be a whole number from 0 to 2147483647, got 1.5"),
        (#"{"id":-1,"name":"n","area":"CIRCLE (1 1, 1)"}"#, "id must be a whole number from 0 to 2147483647, got -1"),
        (#"{"id":2147483648,"name":"n","area":"CIRCLE (1 1, 1)"}"#,
         "id must be a whole number from 0 to 2147483647, got 2147483648"),
        (#"{"id":18446744073709551615,"name":"n","area":"CIRCLE (1 1, 1)"}"#,
         "id must be a whole number from 0 to 2147483647, got 18446744073709551615"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)","calendarId":true}"#, "calendarId must be a number, got a boolean"),
        (#"{"name":"n","area":"CIRCLE (1 1, 1)","calendarId":{}}"#, "calendarId must be a number, got an object"),
    ])
    func rejectsABadBodyWithOneSentence(body: String, message: String) {
        #expect(throws: JSONBody.Failure(message)) { try Self.parse(body) }
    }

    @Test func rejectsABodyThatIsNotUTF8() {
        #expect(throws: JSONBody.Failure("geofence body is not valid JSON")) {
            try StoredGeofence(json: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        }
    }

    @Test func theLongestFieldsTheColumnsHoldAreAccepted() throws {
        let name = String(repeating: "n", count: 128)
        let value = String(repeating: "v", count: 3992)
        let geofence = try Self.parse(#"""
            {"name":"\#(name)","description":"\#(name)","area":"CIRCLE (1 1, 1)","attributes":{"k":"\#(value)"}}
            """#)
        #expect(geofence.name.count == 128)
        #expect(geofence.attributes.count == 4000)
    }
}
