import Foundation
import Testing

@testable import TrackProtocols

/// Java's parsing grammar, which decides which device values Traccar accepts.
@Suite struct JavaLangTests {
    @Test func parseDoubleAcceptsWhatJavaAccepts() {
        let accepted: [String: Double] = [
            "1.0E-4": 0.0001, "-3.5": -3.5, "+2": 2, " 5 ": 5, "\t7\n": 7, "12d": 12, "1.5F": 1.5, ".5": 0.5,
            "5.": 5, "1e+3": 1000, "0x1p3": 8, "0X1.8P1D": 3, "-12.5": -12.5, "-.5": -0.5, "007": 7, "52.520008": 52.520008,
        ]
        for (text, value) in accepted {
            #expect(JavaLang.parseDouble(text) == value, "\(text)")
        }
        #expect(JavaLang.parseDouble("NaN")?.isNaN == true)
        #expect(JavaLang.parseDouble("-Infinity") == -.infinity)
        #expect(JavaLang.parseDouble("1e400") == .infinity)
    }

    @Test func parseDoubleRefusesWhatJavaRefuses() {
        for text in [
            "", " ", "abc", "inf", "nan", "infinity", "0x10", "1e", "1e+", ".", "1.2.3", "1_000", "1,5", "--1", "1dd",
            "-", "-.", "1-2", "٣",
        ] {
            #expect(JavaLang.parseDouble(text) == nil, "\(text)")
        }
    }

    @Test func parseIntIsSignedDecimal32Bit() {
        #expect(JavaLang.parseInt("02") == 2)
        #expect(JavaLang.parseInt("+7") == 7)
        #expect(JavaLang.parseInt("-2147483648") == .min)
        #expect(JavaLang.parseInt("2147483648") == nil)
        #expect(JavaLang.parseInt(" 1") == nil)
        #expect(JavaLang.parseInt("") == nil)
    }

    @Test func splitDropsTrailingEmptyParts() {
        #expect(JavaLang.split("a,b,,") == ["a", "b"])
        #expect(JavaLang.split(",a") == ["", "a"])
        #expect(JavaLang.split("") == [""])
        #expect(JavaLang.split("a,,b") == ["a", "", "b"])
    }

    @Test func isoParserValidatesEveryField() {
        #expect(TimestampParser.parseISO("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(TimestampParser.parseISO("2026-11-14T09:30:00.123456789z") != nil)
        #expect(TimestampParser.parseISO("1969-12-31T23:59:59-00:00:01") == Date(timeIntervalSince1970: 0))
        for text in [
            "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-14T09:60:00Z", "2026-11-14T09:30:60Z",
            "2026-11-14T09:30:00.Z", "2026-11-14T09:30:00.1234567890Z", "2026-11-14T09:30:00+02",
            "2026-11-14T09:30:00Z[]", "2026-11-14T09:30:00Z ", "26-11-14T09:30:00Z", "2026-11-14 09:30:00Z",
        ] {
            #expect(TimestampParser.parseISO(text) == nil, "\(text)")
        }
    }

    @Test func epochSecondsRollsFieldsOverLikeALenientCalendar() {
        let base = TimestampParser.epochSeconds(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0)
        #expect(base == 1_767_225_600)
        #expect(TimestampParser.epochSeconds(year: 2025, month: 13, day: 1, hour: 0, minute: 0, second: 0) == base)
        #expect(TimestampParser.epochSeconds(year: 2025, month: 12, day: 32, hour: 0, minute: 0, second: 0) == base)
        #expect(TimestampParser.epochSeconds(year: 2025, month: 12, day: 31, hour: 24, minute: 0, second: 0) == base)
        #expect(TimestampParser.epochSeconds(year: 2026, month: 1, day: 0, hour: 0, minute: 0, second: 86_400) == base)
        #expect(
            TimestampParser.epochSeconds(year: 1900, month: 3, day: 1, hour: 0, minute: 0, second: 0) == -2_203_891_200)
    }
}
