// swift-tools-version:6.0
//
// JKOKit: Wasserstein gradient flows, exact and neural, side by side.
// Layering (each module imports only those above it in this list):
//   C wrappers → NumericalCore → Probability → OptimalTransport → GradientFlows
//   → Autodiff → NeuralNetworks → NeuralJKO → Plotting → Experiments → jko
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v5),
]

let package = Package(
    name: "JKOKit",
    products: [
        .executable(name: "jko", targets: ["jko"]),
        .library(name: "JKOKit", targets: ["NumericalCore", "Probability", "OptimalTransport", "GradientFlows", "Experiments"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // MARK: - C wrappers (one thin module each)
        .systemLibrary(name: "CGSL", path: "Sources/CGSL"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo"),
        .systemLibrary(name: "CGIF", path: "Sources/CGIF"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

        // MARK: - Libraries
        .target(name: "NumericalCore", dependencies: ["CGSL", "COpenBLAS"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Probability", dependencies: ["NumericalCore", "CZlib"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "OptimalTransport", dependencies: ["NumericalCore", "Probability"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "GradientFlows", dependencies: ["NumericalCore", "Probability", "OptimalTransport"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Autodiff", dependencies: ["NumericalCore"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "NeuralNetworks", dependencies: ["Autodiff", "NumericalCore"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "NeuralJKO", dependencies: ["NumericalCore", "Probability", "Autodiff", "NeuralNetworks"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Plotting", dependencies: ["NumericalCore", "CCairo", "CGIF"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(
            name: "Experiments",
            dependencies: [
                "NumericalCore", "Probability", "OptimalTransport", "GradientFlows", "Autodiff", "NeuralNetworks", "NeuralJKO", "Plotting",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executable
        .executableTarget(
            name: "jko",
            dependencies: ["Experiments", "NumericalCore", "OptimalTransport", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .target(name: "_TestSupport", dependencies: ["NumericalCore"], path: "Tests/_TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "NumericalCoreTests", dependencies: ["NumericalCore", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ProbabilityTests", dependencies: ["Probability", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AutodiffTests", dependencies: ["Autodiff", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "OptimalTransportTests", dependencies: ["OptimalTransport", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GradientFlowsTests", dependencies: ["GradientFlows", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Autodiff", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "NeuralJKOTests", dependencies: ["NeuralJKO", "NeuralNetworks", "Autodiff", "_TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "jko", "_TestSupport"], swiftSettings: swiftSettings),
    ]
)
