import Foundation
import Testing
import TrackCore
import TrackWire

@testable import TrackProtocols

/// Every captured request in `fixtures/osmand/` decodes to exactly its `.expected.json`.
@Suite struct OsmAndDecoderTests {
    let decoder = OsmAndDecoder()

    @Test func fixtureFolderHoldsEveryClientAndMalformedCase() {
        #expect(OsmAndFixture.all.count >= 24)
        #expect(OsmAndFixture.all.contains { $0.name == "traccar-client-10-form" })
    }

    @Test(arguments: OsmAndFixture.all)
    func decodesFixtureAsExpected(_ fixture: OsmAndFixture) throws {
        let expected = try fixture.expected()
        let request = try fixture.request()
        guard expected.status == 200 else {
            let error = try #require(throws: DecodeError.self) {
                try decoder.decode(request, receivedAt: Sample.receivedAt)
            }
            #expect(expected.status == 400)
            #expect(error.reason.contains(try #require(expected.error)), "reason was: \(error.reason)")
            #expect(error.protocolName == "osmand")
            #expect(!error.reason.contains("\n") && !error.raw.contains("\n"))
            #expect(error.raw.hasPrefix(DecodeError.escaped(Array(request.target.utf8))))
            return
        }
        let report = try decoder.decode(request, receivedAt: Sample.receivedAt)
        try Self.check(report, against: expected, text: try fixture.expectedText(), isJSON: request.isJSON)
    }

    @Test(arguments: OsmAndFixture.all)
    func parsesFixtureTheSameByteByByte(_ fixture: OsmAndFixture) throws {
        let bytes = try fixture.bytes()
        let whole = try HTTPFeed.requests(in: bytes)
        #expect(try HTTPFeed.requestsByteByByte(in: bytes).requests == whole)
    }

    @Test func concatenatedFixturesGiveTheSameRequestsAndDecodes() throws {
        let separately = try OsmAndFixture.all.map { try $0.request() }
        let stream = try OsmAndFixture.all.flatMap { try $0.bytes() }
        let together = try HTTPFeed.requests(in: stream)
        let trickled = try HTTPFeed.requestsByteByByte(in: stream)
        #expect(together == separately)
        #expect(trickled.requests == separately)
        #expect(trickled.continues == 1, "only the chunked JSON fixture sends Expect: 100-continue")
        #expect(together.map(decode) == separately.map(decode))
    }

    @Test func chunkedBodyIsDecodedAfterDechunking() throws {
        let fixture = try #require(OsmAndFixture.all.first { $0.name == "chunked-json-expect-continue" })
        let request = try fixture.request()
        #expect(request.headers["Transfer-Encoding"] == "chunked")
        #expect(try decoder.decode(request, receivedAt: Sample.receivedAt).uniqueId == "fx-chunked")
    }

    private func decode(_ request: HTTPRequest) -> Result<DeviceReport, DecodeError> {
        Result { () throws(DecodeError) in try decoder.decode(request, receivedAt: Sample.receivedAt) }
    }

    /// Compares every decoded field with the expected file.
    static func check(_ report: DeviceReport, against expected: OsmAndFixture.Expected, text: String, isJSON: Bool)
        throws
    {
        let position = report.position
        #expect(report.uniqueId == expected.uniqueId)
        #expect(report.unknownDeviceStatus == (isJSON ? 404 : 400))
        #expect(report.notificationToken == expected.notificationToken)
        #expect(position.protocolName == "osmand")
        #expect(milliseconds(position.fixTime) == milliseconds(try time(expected.fixTime)))
        #expect(milliseconds(position.deviceTime) == milliseconds(try time(expected.deviceTime)))
        #expect(position.valid == expected.valid)
        #expect(position.outdated == expected.outdated)
        #expect(position.latitude == expected.latitude)
        #expect(position.longitude == expected.longitude)
        #expect(position.altitude == expected.altitude)
        #expect(position.speed == expected.speed)
        #expect(position.course == expected.course)
        #expect(position.accuracy == expected.accuracy)
        #expect(position.attributes.jsonText == RawJSON.member("attributes", in: text))
        #expect((position.network?.jsonText ?? "null") == RawJSON.member("network", in: text))
    }

    /// An expected time: ISO 8601 with optional milliseconds, or `receivedAt`.
    static func time(_ text: String?) throws -> Date {
        let text = try #require(text)
        if text == "receivedAt" { return Sample.receivedAt }
        let formatter = ISO8601DateFormatter()
        if text.contains(".") { formatter.formatOptions.insert(.withFractionalSeconds) }
        return try #require(formatter.date(from: text), "bad expected time \(text)")
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}

extension HTTPRequest {
    fileprivate var isJSON: Bool { headers["Content-Type"]?.hasPrefix("application/json") ?? false }
}
