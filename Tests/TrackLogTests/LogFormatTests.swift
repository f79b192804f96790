import Logging
import Testing
import TrackLog

@Suite struct LogFormatTests {
    @Test func rawValuesAreTheCommandLineSpellings() {
        #expect(LogFormat.allCases.map(\.rawValue) == ["text", "json"])
        #expect(LogFormat(rawValue: "json") == .json)
    }

    @Test func eachFormatMakesItsHandlerWithTheLevel() {
        let text = LogFormat.text.makeHandler(label: "a", level: .debug)
        #expect(text is StreamLogHandler)
        #expect(text.logLevel == .debug)

        let json = LogFormat.json.makeHandler(label: "a", level: .warning)
        #expect(json is JSONLogHandler)
        #expect(json.logLevel == .warning)
    }
}
