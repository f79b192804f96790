import Foundation
import Testing
import TrackPostgres

@Suite struct PostgresTextTests {
    @Test func formatsUTCTimestampsWithMicroseconds() {
        #expect(PostgresText.timestamp(Date(timeIntervalSince1970: 1_795_000_000.123456)) == "2026-11-18 11:06:40.123456")
        #expect(PostgresText.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000")
        #expect(PostgresText.timestamp(Date(timeIntervalSince1970: -1)) == "1969-12-31 23:59:59.000000")
        #expect(PostgresText.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000000")
    }

    @Test func parsesTimestampsBackAsUTC() {
        #expect(PostgresText.date(fromTimestamp: "2026-11-18 11:06:40") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(PostgresText.date(fromTimestamp: "1980-01-06 00:00:00.5") == Date(timeIntervalSince1970: 315_964_800.5))
        #expect(PostgresText.date(fromTimestamp: "yesterday") == nil)
    }

    @Test func quotesAndEscapesArrayElements() {
        #expect(PostgresText.array(["a", nil, #"say "hi"\"#, ""]) == #"{"a",NULL,"say \"hi\"\\",""}"#)
        #expect(PostgresText.array([]) == "{}")
        #expect(PostgresText.array(["Zoë's 📱", "{a,b}"]) == #"{"Zoë's 📱","{a,b}"}"#)
    }
}
