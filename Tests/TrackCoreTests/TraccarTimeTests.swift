import Foundation
import Testing
import TrackCore

@Suite struct TraccarTimeTests {
    /// 2026-11-29T10:15:30Z.
    static let morning: TimeInterval = 1_795_947_330

    /// Milliseconds since 1970, which is as precise as Traccar's JSON times go.
    static func milliseconds(_ date: Date?) -> Int64? {
        date.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    @Test(arguments: [
        (0 as Int64, "1970-01-01T00:00:00.000+00:00"),
        (1_709_210_096_789, "2024-02-29T12:34:56.789+00:00"),
        (1_798_761_599_999, "2026-12-31T23:59:59.999+00:00"),
        (1_795_947_330_250, "2026-11-29T10:15:30.250+00:00"),
    ])
    func textReadsBackToTheMillisecond(milliseconds: Int64, text: String) {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        #expect(TraccarTime.text(date) == text)
        #expect(Self.milliseconds(TraccarTime.date(from: text)) == milliseconds)
    }

    /// Traccar writes milliseconds; a finer time is cut, not rounded up into the next second.
    @Test func textCutsToTheMillisecond() {
        let date = Date(timeIntervalSince1970: 1_798_761_599.999_9)
        #expect(TraccarTime.text(date) == "2026-12-31T23:59:59.999+00:00")
    }

    @Test(arguments: [
        "2026-11-29T10:15:30.250+00:00", "2026-11-29T10:15:30.250Z", "2026-11-29T12:15:30.250+02:00",
        "2026-11-29T04:45:30.250-05:30", "2026-11-30T00:15:30.250+14:00",
    ])
    func offsetsAreTakenAway(text: String) {
        #expect(Self.milliseconds(TraccarTime.date(from: text)) == 1_795_947_330_250)
    }

    @Test func anOffsetCanCrossMidnightAndTheYear() {
        #expect(Self.milliseconds(TraccarTime.date(from: "2026-12-31T23:30:00.000-01:00"))
                == Self.milliseconds(TraccarTime.date(from: "2027-01-01T00:30:00Z")))
        #expect(Self.milliseconds(TraccarTime.date(from: "1970-01-01T01:00:00+01:00")) == 0)
    }

    @Test func anyNumberOfFractionDigitsIsRead() throws {
        #expect(TraccarTime.date(from: "2026-11-29T10:15:30Z")?.timeIntervalSince1970 == Self.morning)
        #expect(Self.milliseconds(TraccarTime.date(from: "2026-11-29T10:15:30.250Z")) == 1_795_947_330_250)
        #expect(Self.milliseconds(TraccarTime.date(from: "2026-11-29T10:15:30.250000Z")) == 1_795_947_330_250)
        #expect(Self.milliseconds(TraccarTime.date(from: "2026-11-29T10:15:30.250000000Z")) == 1_795_947_330_250)
        let micros = try #require(TraccarTime.date(from: "2026-11-29T10:15:30.123456+00:00"))
        #expect(abs(micros.timeIntervalSince1970 - (Self.morning + 0.123_456)) < 1e-6)
        let nanos = try #require(TraccarTime.date(from: "2026-11-29T10:15:30.123456789+00:00"))
        #expect(abs(nanos.timeIntervalSince1970 - (Self.morning + 0.123_456_789)) < 1e-6)
        #expect(Self.milliseconds(TraccarTime.date(from: "2026-11-29T10:15:30.9Z")) == 1_795_947_330_900)
    }

    @Test(arguments: [
        "2026-11-29T10:15:30.250",  // no zone
        "2026-11-29T10:15:30",  // no zone, no fraction
        "2026-13-01T10:15:30.250Z",  // month 13
        "2026-00-01T10:15:30.250Z",  // month 0
        "2026-11-29T24:00:00.000Z",  // hour 24
        "2026-11-29T10:60:00.000Z",  // minute 60
        "2026-11-29 10:00:00+00:00",  // space for T
        "2026-11-29T10:15:30.250+00:00x",  // trailing garbage
        "2026-11-29T10:15:30.250Z ",  // trailing space
        "2026-11-29T10:15:30.250+0000",  // offset without colon
        "2026-11-29T10:15:30.250+02",  // offset without minutes
        "26-11-29T10:15:30Z",  // two-digit year
        "2026-11-29",  // date only
        "yesterday",
        "",
    ])
    func malformedTextIsRefused(text: String) {
        #expect(TraccarTime.date(from: text) == nil)
    }
}
