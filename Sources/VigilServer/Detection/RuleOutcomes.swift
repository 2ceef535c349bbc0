import VigilCore
import VigilStore

/// Moderators' verdicts recorded against the rule matches they settle, and rules switched to
/// shadow when their precision falls below the floor. Called in the decision's or appeal's
/// transaction, so a rule's figures never disagree with the decisions.
enum RuleOutcomes {
    /// A moderator decided a case on the subject: every match on it without a verdict gets this one.
    static func decided(_ tx: StoreSession, ruleSet: RuleSet, subjectID: String, decisionID: String, violation: Bool, at now: Timestamp) async throws -> [AuditEventDraft] {
        let keys = try await tx.recordRuleOutcome(subjectID: subjectID, decisionID: decisionID, outcome: violation ? .upheld : .overturned, at: now)
        return try await demoteFailing(tx, ruleSet: ruleSet, keys: keys, at: now)
    }

    /// A creator's appeal against a violation decision was decided. Against an automated decision
    /// it is the first human verdict on the matches behind it; against a moderator's, a granted
    /// appeal overturns the matches that decision upheld.
    static func appealDecided(_ tx: StoreSession, ruleSet: RuleSet, decision: DecisionRecord, granted: Bool, at now: Timestamp) async throws -> [AuditEventDraft] {
        guard decision.outcome == .violation else { return [] }
        let keys: Set<RuleKey>
        if decision.automated {
            keys = try await tx.recordRuleOutcome(subjectID: decision.subjectID, decisionID: decision.id, outcome: granted ? .overturned : .upheld,
                                                  appealGranted: granted, at: now)
        } else if granted {
            keys = try await tx.overturnRuleMatches(decisionID: decision.id, at: now)
        } else {
            return []
        }
        return try await demoteFailing(tx, ruleSet: ruleSet, keys: keys, at: now)
    }

    /// Live rules of the rule set in force whose precision, over enough decisions, fell below the floor.
    private static func demoteFailing(_ tx: StoreSession, ruleSet: RuleSet, keys: Set<RuleKey>, at now: Timestamp) async throws -> [AuditEventDraft] {
        let concerned = keys.filter { $0.ruleSetVersion == ruleSet.version }.compactMap { ruleSet.rule($0.ruleID) }.filter { $0.mode == .live }
        guard !concerned.isEmpty else { return [] }
        let overrides = try await tx.ruleModes(ruleSetVersion: ruleSet.version)
        let stats = try await tx.ruleVerdicts(ruleSetVersion: ruleSet.version, ruleIDs: concerned.map(\.id))
        var events: [AuditEventDraft] = []
        for rule in concerned.sorted(by: { $0.id < $1.id }) where overrides[rule.id] == nil {
            guard let figures = stats[rule.id], ruleSet.precisionFloor.demotes(figures), let precision = figures.precision else { continue }
            let reason = "precision \(Self.percent(precision)) over \(figures.decided) decisions fell below the floor of "
                + "\(Self.percent(ruleSet.precisionFloor.floor))"
            try await tx.setRuleMode(RuleKey(ruleSetVersion: ruleSet.version, ruleID: rule.id), mode: .shadow, reason: reason, at: now)
            events.append(AuditEventDraft(type: .ruleModeChanged, subjectID: nil, payload: RuleModeChanged(
                ruleId: rule.id, ruleSetVersion: ruleSet.version, from: .live, to: .shadow, reason: reason,
                upheld: figures.upheld, overturned: figures.overturned), occurredAt: now))
        }
        return events
    }

    static func percent(_ value: Double) -> String {
        let tenths = (value * 1_000).rounded() / 10
        return "\(tenths)%"
    }
}
