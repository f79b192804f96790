import Dispatch
import Foundation
import Logging
import Testing
@testable import TrackLog

@Suite struct JSONLogHandlerTests {
    private struct ParseError: Error {}

    private func makeLogger(
        label: String = "test", sink: MemoryLogSink, level: Logger.Level = .trace,
        provider: Logger.MetadataProvider? = nil
    ) -> Logger {
        Logger(label: label) { label in
            var handler = JSONLogHandler(label: label, sink: .memory(sink), metadataProvider: provider)
            handler.logLevel = level
            return handler
        }
    }

    /// Every write must be exactly one newline-terminated JSON object.
    private func parseLines(_ sink: MemoryLogSink) throws -> [[String: Any]] {
        try sink.lines.map { line in
            #expect(line.hasSuffix("\n"))
            #expect(!line.dropLast().contains("\n"))
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ParseError()
            }
            return object
        }
    }

    private func onlyLine(_ sink: MemoryLogSink) throws -> [String: Any] {
        let lines = try parseLines(sink)
        try #require(lines.count == 1)
        return lines[0]
    }

    @Test func writesFixedFieldsThenSortedMetadataThenSource() throws {
        let sink = MemoryLogSink()
        makeLogger(sink: sink).info("hello", metadata: ["b": "2", "a": "1", "c": ["x"]])

        let raw = try #require(sink.lines.first)
        let time = try #require(raw.firstMatch(of: /^\{"time":"([^"]*)",/)?.1)
        let expected = #"{"time":"\#(time)","level":"info","label":"test","message":"hello","#
            + #""a":"1","b":"2","c":["x"],"source":"TrackLogTests"}"# + "\n"
        #expect(raw == expected)

        let object = try onlyLine(sink)
        #expect(Set(object.keys) == ["time", "level", "label", "message", "a", "b", "c", "source"])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "test")
        #expect(object["message"] as? String == "hello")
        #expect(object["a"] as? String == "1")
        #expect(object["b"] as? String == "2")
        #expect(object["c"] as? [String] == ["x"])
        #expect(object["source"] as? String == "TrackLogTests")
    }

    @Test func timeIsTheCurrentUTCTimeInMilliseconds() throws {
        let sink = MemoryLogSink()
        let before = Date()
        makeLogger(sink: sink).info("now")
        let after = Date()

        let time = try #require(try onlyLine(sink)["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let logged = try #require(parser.date(from: time))
        // The line carries whole milliseconds, truncated; allow one more for float error.
        #expect(logged >= before.addingTimeInterval(-0.002))
        #expect(logged <= after.addingTimeInterval(0.001))
    }

    @Test func knownDatesFormatExactly() {
        let cases: [(TimeInterval, String)] = [
            (1_795_000_000.123, "2026-11-18T11:06:40.123Z"),
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400, "2000-02-29T00:00:00.000Z"),
            (1_709_251_199.999, "2024-02-29T23:59:59.999Z"),
            (1_234_567_890.001, "2009-02-13T23:31:30.001Z"),
            (1_700_000_059.9996, "2023-11-14T22:14:19.999Z"),
            (-0.001, "1969-12-31T23:59:59.999Z"),
            (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
        ]
        for (seconds, expected) in cases {
            #expect(LogTimestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
        }
    }

    @Test func levelIsTheRawValue() throws {
        let sink = MemoryLogSink()
        let logger = makeLogger(sink: sink)
        for level in Logger.Level.allCases { logger.log(level: level, "at \(level)") }

        let lines = try parseLines(sink)
        #expect(lines.map { $0["level"] as? String } == Logger.Level.allCases.map(\.rawValue))
        #expect(lines.map { $0["message"] as? String } == Logger.Level.allCases.map { "at \($0)" })
    }

    @Test func explicitSourceIsWritten() throws {
        let sink = MemoryLogSink()
        makeLogger(sink: sink).info("m", source: "custom.source")
        #expect(try onlyLine(sink)["source"] as? String == "custom.source")
    }

    @Test func laterMetadataWinsLikeStreamLogHandler() throws {
        let sink = MemoryLogSink()
        let provider = Logger.MetadataProvider {
            ["p": "provider", "hp": "provider", "pc": "provider", "hpc": "provider"]
        }
        var logger = makeLogger(sink: sink, provider: provider)
        for key in ["h", "hp", "hc", "hpc"] { logger[metadataKey: key] = "handler" }

        logger.info("first", metadata: ["c": "call", "hc": "call", "pc": "call", "hpc": "call"])
        logger.info("second")

        let lines = try parseLines(sink)
        try #require(lines.count == 2)
        let expected = [
            "h": "handler", "p": "provider", "c": "call",
            "hp": "provider", "hc": "call", "pc": "call", "hpc": "call",
        ]
        for (key, value) in expected { #expect(lines[0][key] as? String == value, "key \(key)") }
        // Call metadata belongs to its own line only.
        let second = [
            "h": "handler", "p": "provider", "hp": "provider", "hc": "handler", "pc": "provider", "hpc": "provider",
        ]
        for (key, value) in second { #expect(lines[1][key] as? String == value, "key \(key)") }
        #expect(lines[1]["c"] == nil)
    }

    @Test func errorIsWrittenAsMetadata() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "it broke" } }
        let sink = MemoryLogSink()
        makeLogger(sink: sink).error("failed", error: Broken())

        let object = try onlyLine(sink)
        #expect(object["error.message"] as? String == "it broke")
        #expect((object["error.type"] as? String)?.hasSuffix("Broken") == true)
    }

    @Test func nestedValuesBecomeJSONArraysAndObjects() throws {
        let sink = MemoryLogSink()
        makeLogger(sink: sink).info("nested", metadata: [
            "list": ["a", ["b", "c"], ["k": "v"], [], [:]],
            "dict": ["z": "1", "a": ["x", "y"], "m": ["n": "deep"]],
            "number": .stringConvertible(42),
        ])

        let raw = try #require(sink.lines.first)
        #expect(raw.contains(#""dict":{"a":["x","y"],"m":{"n":"deep"},"z":"1"}"#))
        #expect(raw.contains(#""list":["a",["b","c"],{"k":"v"},[],{}]"#))

        let object = try onlyLine(sink)
        let list = try #require(object["list"] as? [Any])
        try #require(list.count == 5)
        #expect(list[0] as? String == "a")
        #expect(list[1] as? [String] == ["b", "c"])
        #expect(list[2] as? [String: String] == ["k": "v"])
        #expect((list[3] as? [Any])?.isEmpty == true)
        #expect((list[4] as? [String: Any])?.isEmpty == true)
        let dict = try #require(object["dict"] as? [String: Any])
        #expect(Set(dict.keys) == ["a", "m", "z"])
        #expect(dict["z"] as? String == "1")
        #expect(dict["a"] as? [String] == ["x", "y"])
        #expect(dict["m"] as? [String: String] == ["n": "deep"])
        #expect(object["number"] as? String == "42")
    }

    @Test func stringsSurviveARoundTripThroughJSON() throws {
        let tricky = "q\" b\\ s/ n\n r\r t\t b\u{08} f\u{0C} 0\u{00} 1\u{01} 1f\u{1F} 7f\u{7F} é 日本 🚀 \u{2028}"
        let sink = MemoryLogSink()
        let logger = makeLogger(label: tricky, sink: sink)
        logger.info(
            "\(tricky)",
            metadata: [tricky: "\(tricky)", "nested": ["\(tricky)", [tricky: "\(tricky)"]]],
            source: tricky)

        let raw = try #require(sink.lines.first)
        #expect(!raw.utf8.dropLast().contains { $0 < 0x20 }, "control characters must be escaped")
        for escape in [#"\""#, #"\\"#, #"\n"#, #"\r"#, #"\t"#, #"\b"#, #"\f"#, #"\u0000"#, #"\u0001"#, #"\u001f"#] {
            #expect(raw.contains(escape), "missing \(escape)")
        }
        #expect(raw.contains("é 日本 🚀 \u{2028}"), "non-ASCII must pass through as UTF-8")

        let object = try onlyLine(sink)
        func same(_ value: Any?) -> Bool { (value as? String).map { Array($0.utf8) == Array(tricky.utf8) } ?? false }
        #expect(same(object["label"]))
        #expect(same(object["message"]))
        #expect(same(object["source"]))
        #expect(same(object[tricky]))
        let nested = try #require(object["nested"] as? [Any])
        try #require(nested.count == 2)
        #expect(same(nested[0]))
        #expect(same((nested[1] as? [String: Any])?[tricky]))
    }

    @Test func metadataCannotShadowFixedFields() throws {
        let sink = MemoryLogSink()
        let logger = makeLogger(sink: sink)
        logger.info("real", metadata: [
            "time": "fake", "level": "fake", "label": "fake", "message": "fake", "source": "fake", "other": "kept",
        ])
        logger.info("real", metadata: ["time": "first", "metadata.time": "second"])

        let lines = try parseLines(sink)
        try #require(lines.count == 2)
        let first = lines[0]
        #expect((first["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        #expect(first["level"] as? String == "info")
        #expect(first["label"] as? String == "test")
        #expect(first["message"] as? String == "real")
        #expect(first["source"] as? String == "TrackLogTests")
        for key in ["time", "level", "label", "message", "source"] {
            #expect(first["metadata.\(key)"] as? String == "fake", "key \(key)")
        }
        #expect(first["other"] as? String == "kept")
        #expect(first.count == 11)

        // A caller's own `metadata.time` is kept too, with no duplicate member.
        let second = lines[1]
        #expect(second["metadata.time"] as? String == "second")
        #expect(second["metadata.metadata.time"] as? String == "first")
        #expect(sink.lines[1].components(separatedBy: #""metadata.time":"#).count == 2)
    }

    @Test func levelBelowTheThresholdWritesNothing() throws {
        let sink = MemoryLogSink()
        var logger = makeLogger(sink: sink, level: .info)
        logger.debug("hidden")
        logger.trace("hidden")
        #expect(sink.lines.isEmpty)

        logger.info("shown")
        logger.logLevel = .debug
        logger.debug("now shown")
        #expect(try parseLines(sink).map { $0["message"] as? String } == ["shown", "now shown"])
    }

    @Test func twoThreadsProduceWholeLines() throws {
        let sink = MemoryLogSink()
        let logger = makeLogger(sink: sink)
        let writers = DispatchGroup()
        for thread in 0..<2 {
            writers.enter()
            Thread.detachNewThread {
                for index in 0..<1000 { logger.info("line", metadata: ["thread": "\(thread)", "index": "\(index)"]) }
                writers.leave()
            }
        }
        writers.wait()

        let lines = try parseLines(sink)
        #expect(lines.count == 2000)
        let seen = Set(lines.compactMap { line in
            (line["thread"] as? String).flatMap { thread in (line["index"] as? String).map { "\(thread)/\($0)" } }
        })
        #expect(seen.count == 2000)
    }
}
