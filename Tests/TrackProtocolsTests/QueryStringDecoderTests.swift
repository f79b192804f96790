import Testing
import TrackProtocols

/// The query/form text rules of Netty 4.1's `QueryStringDecoder`, which Traccar's OsmAnd decoder relies on.
@Suite struct QueryStringDecoderTests {
    private func decode(_ text: String) throws(QueryStringDecoder.Failure) -> [QueryStringDecoder.Parameter] {
        try QueryStringDecoder.decode(Array(text.utf8))
    }

    private func pairs(_ text: String) throws -> [String] {
        try decode(text).map { "\($0.name)=\($0.values.joined(separator: "|"))" }
    }

    @Test func splitsOnAmpersandAndSemicolon() throws {
        #expect(try pairs("id=1&lat=2;lon=3") == ["id=1", "lat=2", "lon=3"])
    }

    @Test func decodesPercentEscapesAndPlusAsSpace() throws {
        #expect(
            try pairs("t=2014-06-04+09%3A10%3A11&n=M%C3%BCller&k%20y=a%2Bb") == [
                "t=2014-06-04 09:10:11", "n=Müller", "k y=a+b",
            ])
    }

    @Test func groupsRepeatedNamesAtTheirFirstPlaceKeepingValueOrder() throws {
        #expect(try pairs("a=1&b=2&a=3&c=4&b=5") == ["a=1|3", "b=2|5", "c=4"])
    }

    @Test func groupsRepeatedNamesPastTheLinearSearchLimitToo() throws {
        // 40 distinct names, then a repeat of an early and a late one: grouping holds on both sides of the point
        // where the decoder switches from a linear search to a dictionary.
        let names = (0..<40).map { "n\($0)" }
        let text = names.map { "\($0)=x" }.joined(separator: "&") + "&n3=y&n39=z&n40=w"
        let decoded = try pairs(text)
        #expect(decoded.count == 41)
        #expect(decoded[3] == "n3=x|y")
        #expect(decoded[39] == "n39=x|z")
        #expect(decoded[40] == "n40=w")
        #expect(decoded[0] == "n0=x" && decoded[31] == "n31=x" && decoded[32] == "n32=x")
    }

    @Test func namesAreCaseSensitive() throws {
        #expect(try pairs("id=1&ID=2&Id=3") == ["id=1", "ID=2", "Id=3"])
    }

    @Test func nameWithoutEqualsHasAnEmptyValue() throws {
        #expect(
            try decode("flag&x=") == [
                QueryStringDecoder.Parameter(name: "flag", values: [""]),
                QueryStringDecoder.Parameter(name: "x", values: [""]),
            ])
    }

    @Test func onlyTheFirstEqualsSplitsAndALeadingEqualsIsSkipped() throws {
        #expect(try pairs("a==b=c") == ["a==b=c"])
        #expect(try pairs("=x&==y=1") == ["x=", "y=1"])
    }

    @Test func emptyPiecesLeadingQuestionMarkAndFragmentAreHandledLikeNetty() throws {
        #expect(try pairs("&&a=1&&") == ["a=1"])
        #expect(try pairs("?a=1") == ["a=1"])
        #expect(try pairs("a=1#b=2") == ["a=1"])
        #expect(try decode("").isEmpty)
        #expect(try decode("=").isEmpty)
    }

    @Test func stopsAfterMaxParameterValues() throws {
        let text = (0..<1100).map { "p\($0)=\($0)" }.joined(separator: "&")
        let parameters = try decode(text)
        #expect(parameters.count == QueryStringDecoder.maxParameters)
        #expect(parameters.last?.name == "p1023")
    }

    @Test func brokenPercentEscapesThrowWithTheirOffset() {
        #expect(throws: QueryStringDecoder.Failure(reason: "unterminated percent escape", offset: 4)) {
            try decode("a=1&%4")
        }
        #expect(throws: QueryStringDecoder.Failure(reason: "invalid percent escape", offset: 2)) {
            try decode("a=%G1")
        }
    }

    @Test func bytesThatAreNotUTF8Throw() {
        #expect(throws: QueryStringDecoder.Failure(reason: "text is not valid UTF-8 after percent-decoding", offset: 2))
        {
            try decode("a=%C3%28")
        }
        #expect(throws: QueryStringDecoder.Failure.self) { try QueryStringDecoder.decode([0x61, 0x3D, 0xFF]) }
    }

    @Test func rawUTF8BytesInABodyAreKept() throws {
        let body: [UInt8] = Array("name=Zürich".utf8)
        let expected = [QueryStringDecoder.Parameter(name: "name", values: ["Zürich"])]
        #expect(try QueryStringDecoder.decode(body) == expected)
    }
}
