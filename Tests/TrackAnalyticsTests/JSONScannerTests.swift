import Testing
@testable import TrackAnalytics

@Suite struct JSONScannerTests {
    /// Reads `{"position":{…}}`'s `key` as a string, skipping everything else.
    func read(_ json: String, key: String = "uniqueId") throws -> String? {
        var found: String?
        var scanner = JSONScanner(Array(json.utf8))
        try scanner.object { scanner, name throws(JSONScanner.Failure) in
            if name == key { found = try scanner.string() } else { try scanner.skipValue() }
        }
        try scanner.end()
        return found
    }

    func failure(_ json: String) -> String? {
        do {
            _ = try read(json)
            return nil
        } catch let failure as JSONScanner.Failure {
            return failure.message
        } catch {
            return "\(error)"
        }
    }

    @Test func escapesAndUTF8AreDecoded() throws {
        #expect(try read(#"{"uniqueId":"a\"b\\c\/d\b\f\n\r\t"}"#) == "a\"b\\c/d\u{08}\u{0C}\n\r\t")
        #expect(try read(#"{"uniqueId":"caf\u00e9 \ud83d\udeb6 ok"}"#) == "café 🚶 ok")
        #expect(try read(#"{"uniqueId":"Zoë-🚶"}"#) == "Zoë-🚶")
        #expect(try read(#"{"uniqueId":"x\"ü🚶"}"#) == "x\"ü🚶", "raw UTF-8 after an escape")
    }

    @Test func everyKindOfValueIsSkipped() throws {
        let json = """
             { "attributes" : {"note":"}{\\"]","list":[1, -2.5e+3, 0.0, true, false, null, [], {}, ["x"]]},
               "empty": {}, "n": -0, "uniqueId": "found" }\t\n
            """
        #expect(try read(json) == "found")
        #expect(try read("{}") == nil)
    }

    @Test func malformedJSONIsRefusedWithWhereAndWhy() {
        #expect(failure(#"{"uniqueId":"a",}"#) == #"expected " at byte 16"#)
        #expect(failure(#"{"n":01}"#) == "number with a leading zero at byte 7")
        #expect(failure(#"{"n":1.}"#) == "expected digits after . at byte 7")
        #expect(failure(#"{"n":1e}"#) == "expected exponent digits at byte 7")
        #expect(failure(#"{"uniqueId":"abc"#) == "unterminated string at byte 16")
        #expect(failure(#"{"uniqueId":"a"} x"#) == "unexpected text after the JSON value at byte 17")
        #expect(failure(#"{"uniqueId":"\ud83d"}"#) == #"lone surrogate \ud83d at byte 19"#)
        #expect(failure(#"{"uniqueId":"\q"}"#) == #"unknown escape \q at byte 15"#)
        #expect(failure(#"{"uniqueId":"\u12"}"#) == #"\u needs four hex digits at byte 15"#)
        #expect(failure("{\"uniqueId\":\"a\u{01}\"}") == "control character in a string at byte 14")
        #expect(failure(#"{"n":[1 2]}"#) == "expected , or ] in an array at byte 9")
        #expect(failure(#"{"n":tru}"#) == "expected a value at byte 5")
        #expect(failure(#"{"n":"#) == "unexpected end of JSON at byte 5")
        #expect(failure(#"["uniqueId"]"#) == "expected { at byte 0")
    }
}
