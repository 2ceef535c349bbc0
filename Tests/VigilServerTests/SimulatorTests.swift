import Foundation
import Testing
import VigilCore
import VigilTestSupport
@testable import VigilServer

@Suite("Simulator")
struct SimulatorTests {
    static let small = """
        name: small
        hours: 8
        creators: 40
        subjects_per_creator: 4
        honest_reporters: 800
        chronic_false_reporters: 5
        brigades:
          - {shape: throwaway, count: 2, size: {min: 20, max: 30}}
          - {shape: clique, count: 1, size: {min: 20, max: 25}, targets: 3}
          - {shape: live_pile_on, count: 1, size: {min: 20, max: 25}, targets: 2}
        moderators: 2
        """

    func run(_ scenario: Scenario) async throws -> SimulationReport {
        try await withTemporaryDirectory("vigil-sim") { directory in
            try await Simulator(scenario: scenario).run(in: directory.path)
        }
    }

    @Test("the same seed gives the same figures; another seed other traffic")
    func deterministic() async throws {
        var scenario = try Scenario.parse(Self.small)
        let first = try await run(scenario)
        let again = try await run(scenario)
        #expect(first.table == again.table)
        #expect(first.figures.map(\.name) == ["count k=5", first.figures[1].name, "vigil"])
        #expect(first.brigadeReports > 0 && first.reports > first.brigadeReports)
        #expect(first.svg.hasPrefix("<svg") && first.svg.contains("Brigade targets taken down"))
        scenario.seed = 7
        let other = try await run(scenario)
        #expect(other.reports != first.reports || other.table != first.table)
    }

    @Test("on brigade traffic Vigil takes down fewer brigade targets than a count threshold")
    func brigadesDamped() async throws {
        let report = try await run(try Scenario.parse(Self.small))
        let count = try #require(report.figures.first)
        let vigil = try #require(report.figures.last)
        #expect(vigil.brigadeTargets > 0)
        #expect(vigil.brigadeTargetsDown < count.brigadeTargetsDown, "\(report.table)")
    }

    @Test("a bad scenario file lists every problem")
    func badScenario() {
        let text = """
            hours: -3
            views: {median: 10}
            brigades:
              - {shape: stampede, count: 2}
              - {shape: aged, size: {min: 50, max: 10}, reason: nonsense}
            independence: {burst_base_voices: -1, wobble: 2}
            colour: blue
            """
        do {
            _ = try Scenario.parse(text)
            Issue.record("accepted")
        } catch let invalid as ScenarioInvalid {
            let all = invalid.problems.joined(separator: "\n")
            for expected in ["hours", "views", "brigades[0].shape", "brigades[1].size", "brigades[1].reason", "independence.wobble", "burst_base_voices", "colour"] {
                #expect(all.contains(expected), "\(expected) missing from:\n\(all)")
            }
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("extreme but accepted values neither trap nor run away; oversized runs are refused")
    func bounds() throws {
        let extreme = try Scenario.parse("""
            creators: 3
            subjects_per_creator: 2
            hours: 2
            views: {median: 1000000000000, sigma: 5}
            live_viewers: {median: 1000000000000, sigma: 5}
            live_share: 0.5
            honest_reporters: 10
            report_rate_violating: 1
            report_rate_innocent: 1
            violating_share: 0.5
            brigades: []
            """)
        let traffic = Traffic.generate(extreme)
        #expect(traffic.subjects.allSatisfy { $0.totalViews <= Double(Reach.maxCount) })
        #expect(traffic.reports.count <= 6 * Traffic.maxReportsPerSubject + 100)
        do {
            _ = try Scenario.parse("""
                creators: 100000
                subjects_per_creator: 1000
                brigades:
                  - {shape: aged, count: 10000, size: {min: 1, max: 100000}}
                """)
            Issue.record("an oversized scenario was accepted")
        } catch let invalid as ScenarioInvalid {
            #expect(invalid.problems.contains { $0.contains("creators × subjects_per_creator") })
            #expect(invalid.problems.contains { $0.contains("brigades: count × size.max × targets") })
        }
    }

    @Test("the scenario files in the repository are valid")
    func repositoryScenarios() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 7)
        for file in files {
            #expect(throws: Never.self) { try Scenario.load(path: directory.appendingPathComponent(file).path) }
        }
    }

    @Test("Discourse's accuracy bonus follows its formula")
    func discourseBonus() {
        #expect(BaselineTriage.accuracyBonus(agreed: 5, disagreed: 0) == 0, "five decided flags or fewer earn nothing")
        let perfect = BaselineTriage.accuracyBonus(agreed: 16, disagreed: 0)
        #expect(abs(perfect - 10) < 1e-9, "m = 5·log4(16) = 10 at p = 1")
        let poor = BaselineTriage.accuracyBonus(agreed: 0, disagreed: 16)
        #expect(abs(poor + 10) < 1e-9)
        #expect(abs(BaselineTriage.accuracyBonus(agreed: 7, disagreed: 3)) < 1e-9, "p = 0.7 is neutral")
    }
}
