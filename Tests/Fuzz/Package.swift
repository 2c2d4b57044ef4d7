// swift-tools-version:5.4
// libFuzzer targets for MoveoAuth, kept out of the main package: they only link with -sanitize=fuzzer.
// Tools version 5.4 on purpose: from 5.5 on SwiftPM aliases `main` to the target's entry point, which clashes with libFuzzer's own main.
// Build and run them with Tests/Fuzz/run.sh.
import PackageDescription

let package = Package(
    name: "moveo-fuzz",
    dependencies: [.package(name: "moveo-emulator", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "MoveoAuth", package: "moveo-emulator")], path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzToken", dependencies: ["FuzzSupport", .product(name: "MoveoAuth", package: "moveo-emulator")]),
        .executableTarget(name: "FuzzContext", dependencies: ["FuzzSupport", .product(name: "MoveoAuth", package: "moveo-emulator")]),
        .executableTarget(name: "FuzzKeyImport", dependencies: [.product(name: "MoveoAuth", package: "moveo-emulator")]),
    ],
)
