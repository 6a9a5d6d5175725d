// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "wangge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wangge", targets: ["wangge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        .target(
            name: "WanggeCore",
            resources: [.copy("Resources/categories.json"), .copy("Resources/cn-holidays.json"), .copy("Resources/common-passwords.txt")],
            swiftSettings: strict
        ),
        // The demo county and its simulated year: generated data, not domain rules.
        .target(
            name: "WanggeDemo",
            dependencies: ["WanggeCore"],
            swiftSettings: strict
        ),
        .target(
            name: "WanggeStore",
            dependencies: [
                "WanggeCore",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "WanggeServer",
            dependencies: [
                "WanggeCore", "WanggeStore", "WanggeDemo",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Public")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "wangge",
            dependencies: [
                "WanggeServer", "WanggeDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WanggeCoreTests",
            dependencies: ["WanggeCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WanggeDemoTests",
            dependencies: ["WanggeDemo", "WanggeCore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WanggeServerTests",
            dependencies: [
                "WanggeServer", "WanggeDemo",
                .product(name: "XCTVapor", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ]
)
