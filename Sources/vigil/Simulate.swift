import ArgumentParser
import Foundation
import Synchronization
import VigilCore
import VigilServer

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a platform's reports under a count threshold, Discourse's flag score and Vigil, side by side.",
        discussion: """
            The traffic is generated from the scenario and the seed (the same seed, the same figures), then \
            run through each policy with the same moderator team. Vigil runs through a real store in a \
            temporary directory. Prints a table and writes it as an SVG chart.
            """)

    @Option(help: "Scenario file (YAML); keys it leaves out keep the built-in values. Default: the built-in scenario.") var scenario: String?
    @Option(help: "Seed for the traffic (overrides the scenario's).") var seed: UInt32?
    @Option(help: "Write the chart (SVG) to this file.") var chart: String?
    @Option(help: "Community-guidelines policy file (default: built in).") var policy: String?
    @Flag(help: "No progress bar.") var quiet = false

    func validate() throws {
        // Refused before a run that may take minutes, not after it.
        if let chart {
            let directory = (chart as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--chart: no directory \(directory) to write \(chart) in")
            }
        }
    }

    func run() async throws {
        var chosen: Scenario
        do {
            chosen = try scenario.map(Scenario.load(path:)) ?? .standard
        } catch let invalid as ScenarioInvalid {
            throw ValidationError(invalid.description)
        }
        if let seed { chosen.seed = UInt64(seed) }
        let guidelines: Policy
        do {
            guidelines = try policy.map(PolicyLoader.load(path:)) ?? .builtIn
        } catch let invalid as PolicyLoader.Invalid {
            throw ValidationError(invalid.description)
        }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("vigil-simulate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let quiet = self.quiet
        let report = try await Simulator(scenario: chosen, policy: guidelines).run(in: directory) { phase, done in
            guard !quiet else { return }
            ProgressBar.draw(label: phase.rawValue, done: done)
        }
        if !quiet && ProgressBar.interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        print(report.table)
        if let chart {
            try Data(report.svg.utf8).write(to: URL(fileURLWithPath: chart), options: .atomic)
            FileHandle.standardError.write(Data("chart written to \(chart)\n".utf8))
        }
    }
}

/// A one-line progress bar on standard error, redrawn in place on a terminal; elsewhere (a log,
/// a pipe) a line at every quarter.
enum ProgressBar {
    static let interactive = isatty(2) != 0

    static func draw(label: String, done: Double) {
        let percent = Int(done * 100)
        guard interactive else {
            if percent % 25 == 0 { FileHandle.standardError.write(Data("\(label): \(percent)%\n".utf8)) }
            return
        }
        let width = 30
        let filled = Int((max(0, min(1, done)) * Double(width)).rounded())
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label.padding(toLength: 30, withPad: " ", startingAt: 0)) [\(bar)] \(Int(done * 100))%".utf8))
    }
}
