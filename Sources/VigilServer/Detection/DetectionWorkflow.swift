import Crypto
import Foundation
import VigilCore
import ServiceLifecycle
import VigilStore

/// What recording signals did.
public struct DetectionOutcome: Sendable, Equatable {
    /// Signals recorded now, and those already recorded under their `(source, id)`.
    public var recorded: Int
    public var duplicates: Int
    /// The subject's state afterwards.
    public var state: VisibilityState
    /// Rules that matched now (live and shadow).
    public var matches: [RuleVerdict]
    /// The rule whose action applied, if one did.
    public var applied: String?
    /// The case the subject has for review after this, if any.
    public var caseID: String?
}

/// Automated detection: records signals about a subject and evaluates the rules on them, applying
/// the strongest live match through the same path as every other measure (state, event, case,
/// statement of reasons), in the transaction that recorded the signals. Signals pushed at once are
/// committed together (``GroupCommit``), as reports are.
public struct DetectionWorkflow: Sendable {
    let store: Store
    let evaluation: SignalEvaluation
    /// The built-in text classifier run on subjects' titles and texts; nil when switched off.
    let textClassifier: LinearTextClassifier?
    let clock: VigilClock
    let metrics: VigilMetrics?
    private let commits: GroupCommit<(subjectID: String, signals: [Signal], media: [SubjectMedia]), DetectionOutcome>

    public var ruleSet: RuleSet { evaluation.ruleSet }
    /// The service that commits pushed signals; it runs in the application's service group.
    public var committer: any Service { commits }

    /// The newest signals of a subject the rules see.
    public static let signalsPerSubject = 1_000
    /// The source of signals from Vigil's built-in classifiers.
    public static let builtInSource = "vigil"
    /// The label of the built-in text classifier's signals.
    public static let textLabel = "profanity"

    public init(store: Store, policy: Policy, ruleSet: RuleSet, textClassifier: LinearTextClassifier?, clock: VigilClock = .system,
                metrics: VigilMetrics? = nil) {
        self.store = store
        let evaluation = SignalEvaluation(policy: policy, ruleSet: ruleSet)
        self.evaluation = evaluation
        self.textClassifier = textClassifier
        self.clock = clock
        self.metrics = metrics
        commits = GroupCommit(maxBatch: 256) { items in
            try await store.write { tx in
                var results: [Result<DetectionOutcome, any Error>] = []
                // The batch's events and notices are appended once, after every item.
                var appends = DetectionAppends()
                for item in items {
                    guard let subject = try await tx.subject(id: item.subjectID) else {
                        results.append(.failure(VigilError.notFound(resource: "subject", id: item.subjectID)))
                        continue
                    }
                    let at = item.signals.first?.receivedAt ?? clock.now()
                    try await tx.insertSubjectMedia(item.media)
                    results.append(.success(try await evaluation.detect(tx, subject: subject, signals: item.signals, at: at, appends: &appends)))
                }
                try await appends.write(tx)
                return results
            }
        }
    }

    /// Records signals about a subject (the platform's, an external classifier's, hash matches) and
    /// evaluates the rules, in one transaction with whatever else was pushed meanwhile; the hashes
    /// of the subject's media are recorded with them. Returns what changed, once committed.
    public func record(subjectID: String, signals: [Signal], media: [SubjectMedia] = []) async throws -> DetectionOutcome {
        let started = ContinuousClock.now
        let now = clock.now()
        let stamped = signals.map { signal in
            var signal = signal
            signal.subjectID = subjectID
            signal.receivedAt = now
            return signal
        }
        let hashed = media.map { item in
            var item = item
            item.subjectID = subjectID
            item.recordedAt = now
            return item
        }
        let outcome = try await commits.submit((subjectID, stamped, hashed))
        metrics?.recordDetection(duration: ContinuousClock.now - started)
        observe(outcome)
        return outcome
    }

    /// The built-in text classifier's signal on a subject's title and text, if it has any text.
    /// Its id is the text's digest, so the same text is classified once.
    func textSignal(for subject: Subject, at now: Timestamp) -> Signal? {
        guard let classifier = textClassifier else { return nil }
        let text = [subject.title, subject.text].compactMap { $0 }.joined(separator: "\n")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        let digest = Hex.encode(SHA256.hash(data: Data(text.utf8)).prefix(12))
        return Signal(
            source: Self.builtInSource, id: "\(Self.textLabel):\(subject.id):\(digest)", subjectID: subject.id, kind: .classifier,
            label: Self.textLabel, score: classifier.score(text), model: classifier.model, modelVersion: classifier.version, receivedAt: now)
    }

    /// Records signals and applies the rules inside the caller's transaction (a subject's
    /// registration with the built-in classifier's signal).
    func detect(_ tx: StoreSession, subject: Subject, signals: [Signal], at now: Timestamp) async throws -> DetectionOutcome {
        var appends = DetectionAppends()
        let outcome = try await evaluation.detect(tx, subject: subject, signals: signals, at: now, appends: &appends)
        try await appends.write(tx)
        return outcome
    }

    func observe(_ outcome: DetectionOutcome) {
        guard let metrics else { return }
        metrics.recordSignals(outcome.recorded)
        for verdict in outcome.matches {
            metrics.recordRuleMatch(rule: verdict.ruleID, mode: verdict.mode.rawValue, action: verdict.action.rawValue, applied: verdict.ruleID == outcome.applied)
        }
    }
}

/// Recording signals and evaluating the rules on a subject, inside a transaction.
struct SignalEvaluation: Sendable {
    let policy: Policy
    let ruleSet: RuleSet

    /// Records signals and applies the rules inside the caller's transaction.
    /// The events and notices go to `appends`, for the caller to write once for all its subjects.
    func detect(_ tx: StoreSession, subject: Subject, signals: [Signal], at now: Timestamp, appends: inout DetectionAppends) async throws -> DetectionOutcome {
        let fresh = try await tx.insertSignals(signals)
        var outcome = DetectionOutcome(recorded: fresh.count, duplicates: signals.count - fresh.count, state: subject.state, matches: [])
        guard !fresh.isEmpty else { return outcome }
        var events = [AuditEventDraft(type: .signalsRecorded, subjectID: subject.id,
                                      payload: SignalsRecorded(signals: fresh.map { "\($0.source)/\($0.id)" }), occurredAt: now)]
        if !ruleSet.rules.isEmpty {
            let all = try await tx.signals(subjectID: subject.id, limit: DetectionWorkflow.signalsPerSubject)
            // Strikes are read only when a rule tests them.
            let strikes = ruleSet.testsCreatorStrikes ? try await tx.activeStrikeCount(creatorID: subject.creatorID, at: now) : 0
            let facts = SubjectFacts(kind: subject.kind, reach: subject.reach, creatorActiveStrikes: strikes)
            let modes = try await tx.ruleModes(ruleSetVersion: ruleSet.version).mapValues(\.mode)
            let matched = try await tx.matchedRules(subjectID: subject.id, ruleSetVersion: ruleSet.version)
            var verdicts = RuleEvaluation.evaluate(ruleSet, facts: facts, signals: all, modes: modes, alreadyMatched: matched)
            // Daily caps are counted only for the capped rules that would act now.
            var caps: [String: Int] = [:]
            for verdict in verdicts where verdict.mode == .live {
                if let cap = ruleSet.rule(verdict.ruleID)?.dailyCap { caps[verdict.ruleID] = cap }
            }
            if !caps.isEmpty {
                let acted = try await tx.ruleActions(ruleSetVersion: ruleSet.version, caps: caps, since: now.dayFloor)
                verdicts = RuleEvaluation.evaluate(ruleSet, facts: facts, signals: all, modes: modes, alreadyMatched: matched, actedToday: acted)
            }
            if !verdicts.isEmpty {
                let openCase = try await tx.openCases(subjectIDs: [subject.id])[subject.id]
                let effects = AutomatedActionEffects(policy: policy, ruleSet: ruleSet, subject: subject, openCase: openCase, verdicts: verdicts, now: now)
                if let state = effects.newState {
                    try await tx.setSubjectState(id: subject.id, state: state, ground: effects.ground, at: now)
                    outcome.state = state
                }
                if let record = effects.newCase { try await tx.insertCases([record]) }
                if let decision = effects.decision, let record = effects.newCase {
                    try await tx.insertDecision(decision)
                    try await tx.closeCase(id: record.id, decisionID: decision.id, at: now)
                }
                if let record = effects.updatedCase { try await tx.updateOpenCase(record) }
                if effects.detectedCategories != subject.detectedCategories {
                    try await tx.setDetectedCategories(subjectID: subject.id, effects.detectedCategories)
                }
                try await tx.insertRuleMatches(effects.matches)
                appends.notices += effects.notices
                events += effects.events
                outcome.matches = verdicts
                outcome.applied = effects.applied?.ruleID
                outcome.caseID = effects.matches.first?.caseID
            }
        }
        appends.events += events
        return outcome
    }

}

/// Events and notices detection makes for several subjects in one transaction, appended together:
/// one audit-chain step and one outbox insert for the batch, not one per subject.
struct DetectionAppends {
    var events: [AuditEventDraft] = []
    var notices: [NoticeRecord] = []

    func write(_ tx: StoreSession) async throws {
        try await tx.insertNotices(notices)
        try await tx.appendEvents(events)
    }
}
