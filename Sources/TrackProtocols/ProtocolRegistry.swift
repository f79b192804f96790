/// What the server and the docs need to know about one device protocol.
public struct ProtocolInfo: Sendable, Equatable {
    /// The name used in config keys (`osmand.port`) and stored in `tc_positions.protocol`.
    public let name: String
    /// Traccar's default port, so devices configured for Traccar reach itrack unchanged.
    public let defaultPort: Int
    /// How messages arrive: `http` for protocols carried in HTTP requests.
    public let transport: String
    /// Our description of the protocol, relative to the repository root.
    public let specPath: String
    /// Captured requests and their expected decodes, relative to the repository root.
    public let fixtureFolder: String

    public init(name: String, defaultPort: Int, transport: String, specPath: String, fixtureFolder: String) {
        self.name = name
        self.defaultPort = defaultPort
        self.transport = transport
        self.specPath = specPath
        self.fixtureFolder = fixtureFolder
    }
}

/// Every protocol itrack decodes; adding a protocol adds one line here, and a test checks that its spec,
/// fixtures and decoder test exist.
public enum ProtocolRegistry {
    public static let all: [ProtocolInfo] = [
        ProtocolInfo(
            name: OsmAndDecoder.protocolName, defaultPort: 5055, transport: "http",
            specPath: "protocols/osmand.md", fixtureFolder: "fixtures/osmand")
    ]

    /// The protocol with this name, or nil.
    public static func named(_ name: String) -> ProtocolInfo? {
        all.first { $0.name == name }
    }
}
