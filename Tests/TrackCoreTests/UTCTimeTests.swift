import Foundation
import Testing
import TrackCore

@Suite struct UTCTimeTests {
    let time = UTCTime(Date(timeIntervalSince1970: 1_795_000_000.123456))  // 2026-11-18 11:06:40.123456

    @Test func textHasTheAskedFractionDigitsTruncated() {
        #expect(time.text(separator: " ", fractionDigits: 6) == "2026-11-18 11:06:40.123456")
        #expect(time.text(separator: "T", fractionDigits: 3, suffix: "Z") == "2026-11-18T11:06:40.123Z")
        #expect(time.text(separator: "T", fractionDigits: 1) == "2026-11-18T11:06:40.1")
        #expect(time.text(separator: "T", fractionDigits: 0, suffix: "+00:00") == "2026-11-18T11:06:40+00:00")
    }

    @Test func yearsBeyondFourDigitsAreWrittenWhole() {
        let far = UTCTime(Date(timeIntervalSince1970: 253_402_300_800))  // 10000-01-01
        #expect(far.text(separator: " ", fractionDigits: 0) == "10000-01-01 00:00:00")
        let early = UTCTime(Date(timeIntervalSince1970: -62_135_596_800))  // 0001-01-01
        #expect(early.text(separator: " ", fractionDigits: 0) == "0001-01-01 00:00:00")
    }
}
