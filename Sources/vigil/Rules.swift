import ArgumentParser
import Foundation
import VigilCore
import VigilServer

/// `vigil rules`: check a rule file, try it on a stored subject, and read the rules' precision.
struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detection rules: check a file, dry-run it on a subject, show precision.", subcommands: [Check.self, Test.self, Stats.self])

    /// The policy a rule file is checked against.
    static func policy(_ path: String?) throws -> Policy {
        do { return try path.map(PolicyLoader.load) ?? .builtIn } catch let invalid as PolicyLoader.Invalid {
            throw ValidationError(invalid.description)
        }
    }

    static func ruleSet(_ path: String, policy: Policy) throws -> RuleSet {
        do { return try RuleSetLoader.load(path: path, policy: policy) } catch let invalid as RuleSetLoader.Invalid {
            throw ValidationError(invalid.description)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a rule file against the policy, listing every problem.")
        @Argument(help: "The rule file (YAML or JSON).") var file: String
        @Option(help: "The policy file the rules act on (default: built in).") var policy: String?

        func run() async throws {
            let policy = try Rules.policy(policy)
            let ruleSet = try Rules.ruleSet(file, policy: policy)
            let modes = Dictionary(grouping: ruleSet.rules, by: \.mode).mapValues(\.count)
            print("ok: rule set \(ruleSet.version), \(ruleSet.rules.count) rules "
                  + "(\(RuleMode.allCases.map { "\(modes[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))), policy \(policy.version)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dry-run a rule file on a stored subject and its signals: what would match and what would be done. Changes nothing.")
        @Argument(help: "The rule file (YAML or JSON).") var file: String
        @Option(help: "The subject's id.") var subject: String
        @Option(help: "The policy file the rules act on (default: built in).") var policy: String?
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let configuration = try data.configuration(policy: policy)
            let candidate = try Rules.ruleSet(file, policy: try Rules.policy(policy))
            let subjectID = subject
            let run = try await withApp(configuration) { app in
                try await RulesReporting(store: app.store, ruleSet: app.detection.ruleSet, policy: app.policy).dryRun(candidate, subjectID: subjectID, at: app.clock.now())
            }
            print("subject \(run.subject.id): \(run.subject.kind.rawValue), \(run.subject.state.rawValue), "
                  + "\(run.facts.reach.views) views, creator strikes \(run.facts.creatorActiveStrikes), \(run.signals.count) signals")
            for signal in run.signals {
                let measure = signal.score.map { "score \($0)" } ?? signal.distance.map { "distance \($0)" } ?? signal.value.map { "value \($0)" } ?? ""
                print("  signal \(signal.source)/\(signal.id): \(signal.kind.rawValue) \(signal.label) \(measure)")
            }
            if run.verdicts.isEmpty { print("no rule matches") }
            for verdict in run.verdicts {
                let acts = verdict.ruleID == run.strongest?.ruleID ? " <- acts" : ""
                print("  match \(verdict.ruleID) [\(verdict.mode.rawValue)]: \(verdict.action.rawValue)\(acts) on \(verdict.evidence.joined(separator: ", "))")
            }
            if let strongest = run.strongest, let state = strongest.action.state, state.restrictionRank > run.subject.state.restrictionRank {
                print("would put the subject in \(state.rawValue)")
            } else if let strongest = run.strongest {
                print("would \(strongest.action == .escalate ? "open a case" : "leave the state as it is") (\(strongest.action.rawValue))")
            }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each rule in force: mode, matches, actions, upheld, overturned, precision with its 95% interval.")
        @Option(help: "The rule file in force (env VIGIL_RULES; default: built in).") var rules: String?
        @Option(help: "The policy file (env VIGIL_POLICY; default: built in).") var policy: String?
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let reports = try await withApp(try data.configuration(policy: policy, rules: rules)) { app in
                try await RulesReporting(store: app.store, ruleSet: app.detection.ruleSet, policy: app.policy).report()
            }
            print(["rule", "mode", "action", "hits", "actions", "upheld", "overturned", "appeals_granted", "precision", "95% interval"].joined(separator: "\t"))
            for report in reports {
                let s = report.stats
                let precision = s.precision.map { String(format: "%.3f", $0) } ?? "-"
                let interval = s.interval.map { String(format: "%.3f-%.3f", $0.low, $0.high) } ?? "-"
                print([report.rule.id, report.mode.rawValue + (report.modeOverride != nil ? " (auto)" : ""), report.rule.action.rawValue,
                       "\(s.hits)", "\(s.actions)", "\(s.upheld)", "\(s.overturned)", "\(s.appealsGranted)", precision, interval].joined(separator: "\t"))
                if let override = report.modeOverride { print("  \(override.mode.rawValue) since \(override.changedAt.iso8601): \(override.reason)") }
            }
        }
    }
}
