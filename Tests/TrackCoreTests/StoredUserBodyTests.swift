import Foundation
import Testing
import TrackCore

@Suite struct StoredUserBodyTests {
    static let stored = StoredUser(id: 7, name: "Walker", email: "walker@example.com", login: "walk",
                                   administrator: false, readonly: false, disabled: false,
                                   expirationTime: Date(timeIntervalSince1970: 1_800_000_000),
                                   attributes: #"{"speedUnit":"kmh"}"#, deviceLimit: 5)

    static func create(_ body: String) throws(JSONBody.Failure) -> (user: StoredUser, password: String?) {
        try StoredUser.read(json: Array(body.utf8), over: nil)
    }

    static func edit(_ body: String) throws(JSONBody.Failure) -> (user: StoredUser, password: String?) {
        try StoredUser.read(json: Array(body.utf8), over: stored)
    }

    static func failure(_ body: String, over base: StoredUser? = nil) -> String? {
        do {
            _ = try StoredUser.read(json: Array(body.utf8), over: base)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func readsTheWebAppsNewUser() throws {
        let (user, password) = try Self.create(#"""
            {"id":0,"name":"Ann O'Neil","email":"ann@example.com","login":"ann","password":"pä55 word",
             "administrator":true,"readonly":true,"disabled":false,"expirationTime":"2027-01-31T12:00:00.000+00:00",
             "deviceLimit":3,"userLimit":9,"phone":"+1","map":null,"attributes":{"b":2,"a":"x"}}
            """#)
        #expect(password == "pä55 word")
        #expect(user == StoredUser(id: 0, name: "Ann O'Neil", email: "ann@example.com", login: "ann",
                                   administrator: true, readonly: true, disabled: false,
                                   expirationTime: Date(timeIntervalSince1970: 1_801_396_800),
                                   attributes: #"{"a":"x","b":2}"#, deviceLimit: 3))
    }

    @Test func aNewUserNeedsOnlyNameEmailAndPasswordAndGetsTraccarsDefaults() throws {
        let (user, password) = try Self.create(#"{"name":"n","email":"e@x","password":"p"}"#)
        #expect(password == "p")
        #expect(user == StoredUser(id: 0, name: "n", email: "e@x", login: nil, administrator: false, readonly: false,
                                   disabled: false, expirationTime: nil, attributes: "{}", deviceLimit: -1))
        #expect(user.traccarJSON.contains(#""disabled":false,"expirationTime":null,"deviceLimit":-1,"userLimit":0"#))
        #expect(Self.failure(#"{"email":"e@x","password":"p"}"#) == "name is required")
        #expect(Self.failure(#"{"name":"n","password":"p"}"#) == "email is required")
        #expect(Self.failure(#"{"name":"n","email":"e@x"}"#) == "password is required")
        #expect(Self.failure(#"{"name":"n","email":"e@x","password":""}"#) == "password must not be empty")
        #expect(Self.failure(#"{"name":" ","email":"e@x","password":"p"}"#) == "name must not be empty")
    }

    @Test func anEditKeepsWhatItLeavesOutAndKeepsThePasswordWhenEmpty() throws {
        let renamed = try Self.edit(#"{"name":"Walker Two","password":""}"#)
        var expected = Self.stored
        expected.name = "Walker Two"
        #expect(renamed.user == expected)
        #expect(renamed.password == nil)
        #expect(try Self.edit(#"{"password":null,"email":null,"administrator":null}"#).user == Self.stored)
        #expect(try Self.edit("{}").password == nil)
        #expect(try Self.edit(#"{"password":"new one"}"#).password == "new one")
        #expect(Self.failure(#"{"name":""}"#, over: Self.stored) == "name must not be empty")
    }

    @Test func nullExpiryAndEmptyLoginClearAndAttributesAreReplacedWhole() throws {
        let (user, _) = try Self.edit(#"{"expirationTime":null,"login":"","attributes":{"x":1}}"#)
        #expect(user.expirationTime == nil)
        #expect(user.login == nil)
        #expect(user.attributes == #"{"x":1}"#)
        #expect(try Self.edit(#"{"attributes":null}"#).user.attributes == "{}")
        #expect(try Self.edit(#"{"expirationTime":"2030-01-01T00:00:00Z"}"#).user.expirationTime
            == Date(timeIntervalSince1970: 1_893_456_000))
    }

    @Test func wrongTypesAndSizesAreRefusedByName() {
        let cases: [(String, String)] = [
            (#"{"name":"n","email":"e","password":"p","administrator":"yes"}"#,
             "administrator must be true or false, got a string"),
            (#"{"name":"n","email":"e","password":"p","disabled":1}"#, "disabled must be true or false, got a number"),
            (#"{"name":"n","email":"e","password":"p","deviceLimit":-2}"#,
             "deviceLimit must be a whole number from -1 to 2147483647, got -2"),
            (#"{"name":"n","email":"e","password":"p","deviceLimit":true}"#,
             "deviceLimit must be a number, got a boolean"),
            (#"{"name":"n","email":"e","password":"p","expirationTime":"tomorrow"}"#,
             "expirationTime must be a time with a zone, like 2027-01-31T00:00:00.000+00:00, got tomorrow"),
            (#"{"name":"n","email":"e","password":"p","expirationTime":1800000000000}"#,
             "expirationTime must be a string, got a number"),
            (#"{"name":"n","email":"e","password":"p","attributes":[]}"#, "attributes must be an object, got an array"),
            (#"{"name":"n","email":"e","password":"\#(String(repeating: "x", count: 73))"}"#,
             "password has 73 characters, more than the 72 allowed"),
            (#"{"name":"n","email":"e","password":"\#(String(repeating: "é", count: 40))"}"#,
             "password has 80 bytes in UTF-8, more than the 72 bcrypt reads"),
            (#"{"name":"\#(String(repeating: "n", count: 129))","email":"e","password":"p"}"#,
             "name has 129 characters, more than the 128 allowed"),
            (#"{"name":"n\u0000","email":"e","password":"p"}"#, "name must not contain a NUL character"),
            ("[]", "user body must be a JSON object, got an array"),
            ("{", "user body is not valid JSON"),
        ]
        for (body, message) in cases {
            #expect(Self.failure(body) == message, "\(body)")
        }
        #expect(Self.failure(#"{"name":"n","email":"e","password":"\#(String(repeating: "x", count: 72))"}"#) == nil)
    }

    @Test func sqlMetacharactersAreTextLikeAnyOther() throws {
        let (user, password) = try Self.create(#"""
            {"name":"'; DROP TABLE tc_users; --","email":"o'brien\"@example.com","password":"' OR '1'='1"}
            """#)
        #expect(user.name == "'; DROP TABLE tc_users; --")
        #expect(user.email == #"o'brien"@example.com"#)
        #expect(password == "' OR '1'='1")
    }

    @Test func privilegeChangesAreNamedAndEverythingElseIsFree() {
        let before = Self.stored
        func change(_ edit: (inout StoredUser) -> Void) -> String? {
            var after = before
            edit(&after)
            return after.privilegeChange(from: before)
        }
        #expect(change { $0.administrator = true } == "administrator")
        #expect(change { $0.readonly = true } == "readonly")
        #expect(change { $0.disabled = true } == "disabled")
        #expect(change { $0.deviceLimit = -1 } == "deviceLimit")
        #expect(change { $0.deviceLimit = 4 } == "deviceLimit", "Traccar refuses any change, not only a raise")
        #expect(change { $0.expirationTime = nil } == "expirationTime")
        #expect(change { $0.expirationTime = Date(timeIntervalSince1970: 1_800_000_001) } == "expirationTime")
        #expect(change { $0.expirationTime = Date(timeIntervalSince1970: 1_700_000_000) } == nil, "sooner is fine")
        #expect(change { $0.name = "x"; $0.email = "x@y"; $0.login = nil; $0.attributes = "{}" } == nil)

        var unlimited = before
        unlimited.expirationTime = nil
        var setsOne = unlimited
        setsOne.expirationTime = Date(timeIntervalSince1970: 1_900_000_000)
        #expect(setsOne.privilegeChange(from: unlimited) == nil, "giving oneself an expiry is no privilege")
    }
}
