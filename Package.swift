// swift-tools-version:6.2
import PackageDescription

// Every Swift target gets the same strictness: C types cannot leak through a
// public API (InternalImportsByDefault), imports are explicit per file
// (MemberImportVisibility) and existentials are spelled `any`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "tributary",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tributary", targets: ["tributary"]),
        .executable(name: "tributary-dev", targets: ["tributary-dev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
    ],
    targets: [
        // MARK: C shims (one per C library; they wrap only what Swift cannot call)
        .target(
            name: "CRdKafka",
            linkerSettings: [.linkedLibrary("rdkafka")]
        ),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(name: "CMalloc"),

        // MARK: Pure logic: no C, no I/O
        .target(
            name: "TributaryCore",
            swiftSettings: swiftSettings
        ),

        // MARK: Clients (the only modules that import the C shims)
        .target(
            name: "TributaryKafka",
            dependencies: [
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TributaryOpenSearch",
            dependencies: [
                "CCurl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: The pipeline as services
        .target(
            name: "TributaryWorker",
            dependencies: [
                "CMalloc",
                "TributaryCore",
                "TributaryKafka",
                "TributaryOpenSearch",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Executables
        .executableTarget(
            name: "tributary",
            dependencies: [
                "TributaryCore",
                "TributaryWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tributary-dev",
            dependencies: [
                "TributaryKafka",
                "TributaryCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests, one target per module
        .testTarget(
            name: "TributaryCoreTests",
            dependencies: ["TributaryCore"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TributaryKafkaTests",
            dependencies: ["TributaryKafka"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TributaryWorkerTests",
            dependencies: [
                "TributaryWorker", "TributaryCore", "TributaryKafka",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TributaryOpenSearchTests",
            dependencies: ["TributaryOpenSearch"],
            swiftSettings: swiftSettings
        ),
    ]
)
