import Foundation
import TestSupport
import Testing
import TrackProtocols

/// Adding a protocol means a registry line, a spec, fixtures, a decoder test and an index row; these tests keep
/// those in step.
@Suite struct ProtocolRegistryTests {
    private static let files = FileManager.default

    private static func exists(_ relativePath: String) -> Bool {
        files.fileExists(atPath: RepositoryPaths.root.appendingPathComponent(relativePath).path)
    }

    private static func contents(_ relativePath: String) -> [String] {
        (try? files.contentsOfDirectory(atPath: RepositoryPaths.root.appendingPathComponent(relativePath).path)) ?? []
    }

    @Test func namesAndPortsAreUnique() {
        let entries = ProtocolRegistry.all
        #expect(!entries.isEmpty)
        #expect(Set(entries.map(\.name)).count == entries.count)
        #expect(Set(entries.map(\.defaultPort)).count == entries.count)
    }

    @Test func osmandIsOnTraccarsPort() {
        #expect(
            ProtocolRegistry.named("osmand")
                == ProtocolInfo(
                    name: "osmand", defaultPort: 5055, transport: "http", specPath: "protocols/osmand.md",
                    fixtureFolder: "fixtures/osmand"))
        #expect(ProtocolRegistry.named("gt06") == nil)
    }

    @Test(arguments: ProtocolRegistry.all.map(\.name))
    func entryHasSpecFixturesDecoderTestAndIndexRow(_ name: String) throws {
        let entry = try #require(ProtocolRegistry.named(name))
        #expect(Self.exists(entry.specPath), "missing \(entry.specPath)")
        let fixtures = Self.contents(entry.fixtureFolder)
        let requests = fixtures.filter { $0.hasSuffix(".http") }
        #expect(!requests.isEmpty, "no fixtures in \(entry.fixtureFolder)")
        for request in requests {
            let expected = String(request.dropLast(5)) + ".expected.json"
            #expect(fixtures.contains(expected), "\(request) has no \(expected)")
        }
        let testFile = "\(name)DecoderTests.swift".lowercased()
        #expect(
            Self.contents("Tests/TrackProtocolsTests").contains { $0.lowercased() == testFile },
            "no decoder test named like \(testFile)")
        let index = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("protocols/README.md"), encoding: .utf8)
        #expect(index.contains("| \(name) | \(entry.defaultPort) | \(entry.transport) |"), "no index row for \(name)")
    }
}
