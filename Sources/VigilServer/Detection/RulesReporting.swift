import VigilCore
import VigilStore

/// One rule as operators see it: its definition, the mode in force and why, and its figures.
public struct RuleReport: Sendable {
    public var rule: DetectionRule
    public var mode: RuleMode
    /// Why the mode differs from the file's (automatic demotion), and since when.
    public var modeOverride: RuleModeOverride?
    public var stats: RuleStats
}

/// What a rule set would do to one stored subject, without doing it (`vigil rules test`).
public struct RuleDryRun: Sendable {
    public var subject: Subject
    public var facts: SubjectFacts
    public var signals: [Signal]
    /// Every rule that matches, whether or not it matched before.
    public var verdicts: [RuleVerdict]
    /// The live match that would act.
    public var strongest: RuleVerdict?
}

/// Rule precision and dry runs, read from the store.
public struct RulesReporting: Sendable {
    let store: Store
    public let ruleSet: RuleSet
    let policy: Policy

    public init(store: Store, ruleSet: RuleSet, policy: Policy) {
        self.store = store
        self.ruleSet = ruleSet
        self.policy = policy
    }

    /// Every rule of the set in force, in file order, with its figures for this version.
    public func report() async throws -> [RuleReport] {
        let ruleSet = self.ruleSet
        let (overrides, stats) = try await store.read { session in
            (try await session.ruleModes(ruleSetVersion: ruleSet.version), try await session.ruleStats(ruleSetVersion: ruleSet.version))
        }
        return ruleSet.rules.map { rule in
            let override = overrides[rule.id]
            return RuleReport(rule: rule, mode: override?.mode ?? rule.mode, modeOverride: override, stats: stats[rule.id] ?? RuleStats(ruleID: rule.id))
        }
    }

    /// Evaluates `candidate` (a rule file being tried) on a stored subject and its signals.
    public func dryRun(_ candidate: RuleSet, subjectID: String, at now: Timestamp) async throws -> RuleDryRun {
        try await store.read { session in
            guard let subject = try await session.subject(id: subjectID) else { throw VigilError.notFound(resource: "subject", id: subjectID) }
            let signals = try await session.signals(subjectID: subjectID, limit: DetectionWorkflow.signalsPerSubject)
            let facts = SubjectFacts(kind: subject.kind, reach: subject.reach,
                                     creatorActiveStrikes: try await session.activeStrikeCount(creatorID: subject.creatorID, at: now))
            let verdicts = RuleEvaluation.evaluate(candidate, facts: facts, signals: signals)
            return RuleDryRun(subject: subject, facts: facts, signals: signals, verdicts: verdicts, strongest: RuleEvaluation.strongest(verdicts))
        }
    }
}
