/// One rule's match on a subject, as evaluated: what it would do and what it does.
public struct RuleVerdict: Sendable, Equatable {
    public var ruleID: String
    /// The mode in force when it matched (a rule's file mode, or shadow after automatic demotion).
    public var mode: RuleMode
    /// The action the rule names.
    public var declaredAction: RuleAction
    /// The action it takes: the declared one, or `escalate` once the rule's daily cap is spent.
    public var action: RuleAction
    public var capped: Bool
    /// The ids of the signals the match rested on, as `source/id`.
    public var evidence: [String]

    public init(ruleID: String, mode: RuleMode, declaredAction: RuleAction, action: RuleAction, capped: Bool, evidence: [String]) {
        self.ruleID = ruleID
        self.mode = mode
        self.declaredAction = declaredAction
        self.action = action
        self.capped = capped
        self.evidence = evidence
    }
}

/// Evaluating a rule set on a subject: pure, so the same answer comes from intake, the signals
/// endpoint and `vigil rules test`.
public enum RuleEvaluation {
    /// The matches of rules that have not matched this subject before (a rule acts on a subject
    /// once per rule-set version, so a moderator's reinstatement is not undone by the signals it
    /// already weighed). `modes` overrides the file's modes (automatic demotion to shadow);
    /// `actedToday` counts each rule's acting matches today, for its daily cap.
    public static func evaluate(
        _ ruleSet: RuleSet, facts: SubjectFacts, signals: [Signal], modes: [String: RuleMode] = [:],
        alreadyMatched: Set<String> = [], actedToday: [String: Int] = [:]
    ) -> [RuleVerdict] {
        ruleSet.rules.compactMap { rule in
            let mode = modes[rule.id] ?? rule.mode
            guard mode != .disabled, !alreadyMatched.contains(rule.id), rule.condition.matches(facts, signals: signals) else { return nil }
            var action = rule.action
            var capped = false
            if mode == .live, let cap = rule.dailyCap, (actedToday[rule.id] ?? 0) >= cap, action.strength > RuleAction.escalate.strength {
                action = .escalate
                capped = true
            }
            let evidence = Set(rule.condition.evidence(in: signals).map { "\($0.source)/\($0.id)" }).sorted()
            return RuleVerdict(ruleID: rule.id, mode: mode, declaredAction: rule.action, action: action, capped: capped, evidence: evidence)
        }
    }

    /// The live match whose action is strongest; the first in file order among equals.
    public static func strongest(_ verdicts: [RuleVerdict]) -> RuleVerdict? {
        var best: RuleVerdict?
        for verdict in verdicts where verdict.mode == .live && verdict.action != .allow {
            if let current = best, verdict.action.strength <= current.action.strength { continue }
            best = verdict
        }
        return best
    }
}
