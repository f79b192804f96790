import Testing
import TrackCore

@Suite struct ConfigTests {
    @Test func defaultsApplyWhenNothingIsSet() throws {
        let config = try Config.load(fileText: nil, environment: [:])
        #expect(config[ConfigKeys.osmandPort] == 5055)
        #expect(config[ConfigKeys.webPort] == 8082)
        #expect(config[ConfigKeys.registerUnknown] == true)
        #expect(config[ConfigKeys.filterFuture] == 86400)
    }

    @Test func environmentBeatsFileBeatsDefault() throws {
        let file = """
            <?xml version='1.0' encoding='UTF-8'?>
            <properties>
                <entry key='osmand.port'>6055</entry>
                <entry key="web.port">9090</entry>
                <entry key='database.url'>postgresql://a&amp;b</entry>
            </properties>
            """
        let config = try Config.load(fileText: file, environment: ["ITRACK_WEB_PORT": "9191"])
        #expect(config[ConfigKeys.osmandPort] == 6055)
        #expect(config[ConfigKeys.webPort] == 9191)
        #expect(config[ConfigKeys.databaseURL] == "postgresql://a&b")
    }

    @Test func readsKeyValueFilesWithComments() throws {
        let config = try Config.load(
            fileText: "# comment\n filter.zero = true \n\ndatabase.registerUnknown=false\n", environment: [:])
        #expect(config[ConfigKeys.filterZero])
        #expect(!config[ConfigKeys.registerUnknown])
    }

    @Test func environmentNamesFollowTheTraccarKey() {
        #expect(ConfigKeys.registerUnknown.environmentName == "ITRACK_DATABASE_REGISTERUNKNOWN")
        #expect(ConfigKeys.osmandPort.environmentName == "ITRACK_OSMAND_PORT")
    }

    @Test func unreadableValuesFailAtStartWithTheKey() {
        #expect(throws: ConfigError.self) {
            try Config.load(fileText: nil, environment: ["ITRACK_OSMAND_PORT": "fifty"])
        }
        #expect(throws: ConfigError.self) { try Config.load(fileText: "no equals sign", environment: [:]) }
    }

    @Test func everyKeyIsListedOnce() {
        let names = ConfigKeyIndex.all.map(\.name)
        #expect(names.count == Set(names).count)
        #expect(names.contains("database.url") && names.contains("filter.duplicate"))
    }
}
