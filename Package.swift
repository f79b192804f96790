// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "itrack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "itrack", targets: ["itrack"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Pure targets: no sockets, files, clock, environment or C.
        .target(
            name: "TrackCore",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strict),
        .target(name: "TrackWire", dependencies: ["TrackCore"], swiftSettings: strict),
        .target(name: "TrackProtocols", dependencies: ["TrackCore", "TrackWire"], swiftSettings: strict),
        .target(name: "TrackAnalytics", dependencies: ["TrackCore"], swiftSettings: strict),
        // I/O targets: one per C library or OS facility.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "TrackPostgres",
            dependencies: [
                "TrackCore", "TrackAnalytics", "CLibPQ", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .target(
            name: "TrackKafka",
            dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "TrackS3",
            dependencies: ["CCurl", "TrackCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TrackZlib", dependencies: ["CZlib"], swiftSettings: strict),
        .target(
            name: "TrackNet",
            dependencies: [
                "TrackWire", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "TrackLog", dependencies: ["TrackCore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // Linux's epoll for `itrack replay`'s load generator; the server's own sockets stay on Dispatch sources.
        .systemLibrary(name: "CEpoll"),
        .executableTarget(
            name: "itrack",
            dependencies: [
                "TrackCore", "TrackWire", "TrackProtocols", "TrackNet", "TrackPostgres", "TrackLog", "TrackKafka",
                "TrackAnalytics", "TrackS3", "TrackZlib", "CEpoll",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strict),
        .target(
            name: "TestSupport",
            dependencies: ["TrackCore", "TrackWire", "TrackPostgres"],
            path: "Tests/TestSupport"),
        .testTarget(name: "TrackCoreTests", dependencies: ["TrackCore"]),
        .testTarget(name: "TrackWireTests", dependencies: ["TrackWire", "TestSupport"]),
        .testTarget(name: "TrackProtocolsTests", dependencies: ["TrackProtocols", "TestSupport"]),
        .testTarget(name: "TrackPostgresTests", dependencies: ["TrackPostgres", "TrackAnalytics", "TestSupport"]),
        .testTarget(name: "TrackLogTests", dependencies: ["TrackLog"]),
        .testTarget(name: "TrackAnalyticsTests", dependencies: ["TrackAnalytics", "TrackCore"]),
        .testTarget(
            name: "TrackKafkaTests",
            dependencies: ["TrackKafka", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "TrackS3Tests", dependencies: ["TrackS3", "TestSupport"]),
        .testTarget(name: "TrackZlibTests", dependencies: ["TrackZlib"]),
        .testTarget(
            name: "itrackTests",
            dependencies: [
                "itrack", "TestSupport", "TrackCore", "TrackWire", "TrackNet", "TrackPostgres",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["TestSupport", "TrackCore", "TrackPostgres", "TrackWire", "TrackKafka", "TrackS3", "TrackZlib"]),
    ]
)
