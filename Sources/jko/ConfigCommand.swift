import ArgumentParser
import Experiments

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "List the built-in presets or print one as an editable TOML file.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in presets.")
        func run() {
            let width = Presets.names.map(\.count).max() ?? 0
            for preset in Presets.all {
                print(preset.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + preset.summary)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a preset (or a config file, resolved) as commented TOML.",
            discussion: "Save it, edit it, and run it: jko config show ou-2d > my.toml && jko run my.toml")

        @Argument(help: "A preset name or a config file path.")
        var name: String

        @Option(name: .customLong("set"), help: ArgumentHelp("Override one key before printing, repeatable.", valueName: "key=value"))
        var overrides: [String] = []

        func run() throws {
            let config = try ConfigLoader.resolve(name, overrides: overrides)
            print(ConfigLoader.render(config, header: "JKOKit config '\(config.name)'. Edit, then: jko run FILE.toml"), terminator: "")
        }
    }
}
