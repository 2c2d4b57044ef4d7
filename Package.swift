// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "moveo-emulator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "moveo-emulator", targets: ["moveo-emulator"]),
        .executable(name: "moveo-bench", targets: ["moveo-bench"]),
        .library(name: "MoveoAuth", targets: ["MoveoAuth"]),
        .library(name: "MoveoEmulator", targets: ["MoveoEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CMoveoOpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(name: "MoveoAuth", dependencies: ["CMoveoOpenSSL"]),
        .target(
            name: "MoveoStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "MoveoPostgres",
            dependencies: [
                "MoveoStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MoveoEmulator",
            dependencies: [
                "MoveoAuth",
                "MoveoStore",
                "MoveoPostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Assets"],
            plugins: ["EmbedFiles"]
        ),
        .executableTarget(name: "moveo-embed"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["moveo-embed"], path: "Sources/EmbedFilesPlugin"),
        .executableTarget(
            name: "moveo-emulator",
            dependencies: [
                "MoveoEmulator",
                "MoveoAuth",
                "MoveoStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "moveo-bench",
            dependencies: [
                "MoveoAuth",
                "MoveoStore",
                "MoveoPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "MoveoAuthTests", dependencies: ["MoveoAuth"], resources: [.copy("Fixtures")]),
        .testTarget(name: "MoveoStoreTests", dependencies: ["MoveoStore"]),
        .testTarget(
            name: "MoveoPostgresTests",
            dependencies: ["MoveoPostgres", "MoveoStore", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        .testTarget(
            name: "MoveoEmulatorTests",
            dependencies: [
                "MoveoEmulator",
                "MoveoAuth",
                "MoveoStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "MoveoPostgres",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            exclude: ["Java"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
