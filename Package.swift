// swift-tools-version:6.0
//
// JKOKit: Wasserstein gradient flows, exact and neural, side by side.
// Layering (each module imports only those above it in this list):
//   C wrappers → NumericalCore, MessagePassing → Probability → OptimalTransport → GradientFlows
//   → Autodiff → NeuralNetworks → NeuralJKO → Plotting → Experiments → jko
// MessagePassing (the only MPI caller) sits beside NumericalCore; NeuralJKO and
// Experiments import it.
import Foundation
import PackageDescription

// Open MPI (Debian libopenmpi-dev, pkg-config ompi-c) is optional: JKO_MPI=1 or 0 decides
// (the Makefile sets it from `pkg-config --exists ompi-c`); unset, the package looks for
// ompi-c.pc in the usual pkg-config folders. Without it, MessagePassing compiles its
// single-process path and the tool works exactly the same in one process.
let mpiSetting = ProcessInfo.processInfo.environment["JKO_MPI"]
let mpiFound = ["/usr/lib/x86_64-linux-gnu/pkgconfig", "/usr/lib/aarch64-linux-gnu/pkgconfig", "/usr/lib/pkgconfig",
                "/usr/local/lib/pkgconfig", "/usr/share/pkgconfig"]
    .contains { FileManager.default.fileExists(atPath: $0 + "/ompi-c.pc") }
let useMPI = mpiSetting.map { $0 == "1" } ?? mpiFound
let mpiTargets: [Target] = useMPI ? [.systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c")] : []
let mpiDependencies: [Target.Dependency] = useMPI ? ["CMPI"] : []

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
    ] + mpiTargets + [

        // MARK: - Libraries
        .target(name: "NumericalCore", dependencies: ["CGSL", "COpenBLAS"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "MessagePassing", dependencies: mpiDependencies, exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Probability", dependencies: ["NumericalCore", "CZlib"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "OptimalTransport", dependencies: ["NumericalCore", "Probability"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "GradientFlows", dependencies: ["NumericalCore", "Probability", "OptimalTransport"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Autodiff", dependencies: ["NumericalCore"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "NeuralNetworks", dependencies: ["Autodiff", "NumericalCore"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "NeuralJKO", dependencies: ["NumericalCore", "MessagePassing", "Probability", "Autodiff", "NeuralNetworks"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(name: "Plotting", dependencies: ["NumericalCore", "CCairo", "CGIF"], exclude: ["README.md"], swiftSettings: swiftSettings),
        .target(
            name: "Experiments",
            dependencies: [
                "NumericalCore", "MessagePassing", "Probability", "OptimalTransport", "GradientFlows", "Autodiff", "NeuralNetworks", "NeuralJKO", "Plotting",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executable
        .executableTarget(
            name: "jko",
            dependencies: ["Experiments", "MessagePassing", "NumericalCore", "OptimalTransport", "Plotting", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .target(name: "_TestSupport", dependencies: ["NumericalCore", "MessagePassing"], path: "Tests/_TestSupport", swiftSettings: swiftSettings),
        // The multi-process checks that MessagePassingTests run under mpirun.
        .executableTarget(name: "jko-mpi-check", dependencies: ["MessagePassing", "NeuralJKO", "NeuralNetworks", "Autodiff", "NumericalCore"],
                          path: "Tests/MPICheck", swiftSettings: swiftSettings),
        .testTarget(name: "MessagePassingTests", dependencies: ["MessagePassing", "jko-mpi-check", "_TestSupport"], swiftSettings: swiftSettings),
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
