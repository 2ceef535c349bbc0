import Foundation
import VigilCore
import VigilStore

/// Appeals (DSA Art. 20): filing, the appeals queue with claims, and decisions by a moderator other
/// than the one who decided. A granted appeal reverses what the decision did.
public struct AppealsWorkflow: Sendable {
    let store: Store
    let clock: VigilClock
    let keyring: ReporterKeyring
    let policy: Policy
    let rules: ModerationRules
    /// The detection rules in force: a granted appeal counts against the rules behind the decision.
    let ruleSet: RuleSet
    /// This node's bank index, refreshed after a granted appeal withdrew banked hashes.
    let banks: BankIndex?

    public init(store: Store, keyring: ReporterKeyring, policy: Policy, rules: ModerationRules, ruleSet: RuleSet = .empty, banks: BankIndex? = nil,
                clock: VigilClock = .system) {
        self.ruleSet = ruleSet
        self.banks = banks
        self.store = store
        self.clock = clock
        self.keyring = keyring
        self.policy = policy
        self.rules = rules
    }

    /// Who is appealing, as the platform says.
    public enum Appellant: Sendable {
        case creator(String)
        case reporter(String)
    }

    /// Files an appeal: a creator against a decision on their content or account, a reporter
    /// against a decision not to act on their report, or a reporter against a misuse warning or
    /// suspension. Within six months, once per decision or measure.
    /// What an appeal contests, as the caller names it.
    public enum Contested: Sendable {
        /// A decision, by id: how a creator appeals.
        case decision(String)
        /// A misuse warning or suspension, by id (from the reporter's notice).
        case misuseMeasure(String)
        /// The decision on the caller's own report, by the report's id: how a reporter contests a
        /// decision not to act. The report id is what proves they filed it: knowing a decision id
        /// and a user id must not be enough to find out whether that user reported.
        case reportDecision(reportID: String)
    }

    public func file(contesting contested: Contested, appellant: Appellant, statement: String) async throws -> AppealRecord {
        switch contested {
        case .decision(let id): try Validate.identifier(id, field: "decision_id")
        case .misuseMeasure(let id): try Validate.identifier(id, field: "measure_id")
        case .reportDecision(let id): try Validate.identifier(id, field: "report_id")
        }
        try Validate.text(statement, field: "statement", max: AppealRules.statementMaxCharacters)
        let now = clock.now()
        let (type, key): (AppellantType, String)
        switch appellant {
        case .creator(let id):
            try Validate.identifier(id, field: "creator_id")
            (type, key) = (.creator, id)
        case .reporter(let id):
            try Validate.identifier(id, field: "reporter_id")
            (type, key) = (.reporter, keyring.lookupHash(of: id))
        }
        return try await store.write { tx in
            let target = try await Self.resolve(contested, tx: tx, type: type, appellant: key)
            let (subjectID, since) = switch target {
            case .decision(let id): try await Self.checkDecisionAppeal(tx, decisionID: id, type: type, appellant: key)
            case .misuseMeasure(let id): try await Self.checkMeasureAppeal(tx, measureID: id, type: type, appellant: key)
            }
            guard AppealRules.isInTime(decidedAt: since, filedAt: now) else {
                let field = target.decisionID == nil ? "measure_id" : "decision_id"
                throw VigilError.invalidField(field: field, detail: "was made more than six months ago: the appeal window has closed")
            }
            guard try await !tx.appealExists(target: target, appellantType: type, appellant: key) else {
                throw VigilError.conflict(detail: "this has already been appealed by this \(type.rawValue); a decision or measure can be appealed once")
            }
            let appeal = AppealRecord(id: Identifier.make(prefix: "apl", at: now), target: target, appellantType: type, appellant: key, statement: statement, filedAt: now)
            try await tx.insertAppeal(appeal)
            try await tx.appendEvents([AuditEventDraft(type: .appealFiled, subjectID: subjectID, payload: AppealChanged(
                appealId: appeal.id, decisionId: target.decisionID, measureId: target.measureID, appellantType: type, outcome: nil, moderatorId: nil), occurredAt: now)])
            return appeal
        }
    }

    /// The decision or measure an appeal is about. A reporter names their report, never a decision:
    /// an unknown report and someone else's report are refused alike.
    private static func resolve(_ contested: Contested, tx: StoreSession, type: AppellantType, appellant: String) async throws -> AppealTarget {
        switch (contested, type) {
        case (.misuseMeasure(let id), _):
            return .misuseMeasure(id)
        case (.decision(let id), .creator):
            return .decision(id)
        case (.decision, .reporter):
            throw VigilError.invalidField(field: "report_id", detail: "is required: a reporter contests the decision on their report by the report's id, not by decision_id")
        case (.reportDecision, .creator):
            throw VigilError.invalidField(field: "report_id", detail: "is for reporters: a creator appeals by decision_id")
        case (.reportDecision(let reportID), .reporter):
            guard let found = try await tx.decisionOfReport(id: reportID), found.reporterHash == appellant else {
                throw VigilError.invalidField(field: "report_id", detail: "names no report filed by this reporter_id")
            }
            guard let decisionID = found.decisionID else {
                throw VigilError.conflict(detail: "this report is not decided yet: there is nothing to contest")
            }
            return .decision(decisionID)
        }
    }

    /// Who may appeal a decision; returns its subject and when it was made.
    private static func checkDecisionAppeal(_ tx: StoreSession, decisionID: String, type: AppellantType, appellant: String) async throws -> (String?, Timestamp) {
        guard let decision = try await tx.decision(id: decisionID) else {
            throw VigilError.invalidField(field: "decision_id", detail: "names no decision")
        }
        switch type {
        case .creator:
            guard decision.creatorID == appellant else { throw VigilError.invalidField(field: "creator_id", detail: "is not the creator this decision concerns") }
            guard decision.outcome == .violation else { throw VigilError.invalidField(field: "decision_id", detail: "found no violation: there is nothing to appeal") }
        case .reporter:
            // Reached only through the reporter's own report (``resolve``), so the reporter is known to be one of it.
            guard decision.outcome == .noViolation else {
                throw VigilError.invalidField(field: "report_id", detail: "was upheld: the content was acted on, there is no decision not to act to contest")
            }
        }
        return (decision.subjectID, decision.decidedAt)
    }

    /// Only the reporter a misuse measure concerns may appeal it, while it stands.
    private static func checkMeasureAppeal(_ tx: StoreSession, measureID: String, type: AppellantType, appellant: String) async throws -> (String?, Timestamp) {
        guard type == .reporter else {
            throw VigilError.invalidField(field: "reporter_id", detail: "is required: a misuse measure is contested by the reporter it concerns")
        }
        guard let measure = try await tx.misuseMeasure(id: measureID) else {
            throw VigilError.invalidField(field: "measure_id", detail: "names no misuse measure")
        }
        guard measure.reporterHash == appellant else {
            throw VigilError.invalidField(field: "reporter_id", detail: "is not the reporter this measure concerns")
        }
        guard measure.revokedAt == nil else { throw VigilError.conflict(detail: "this measure was revoked already: there is nothing to appeal") }
        return (nil, measure.imposedAt)
    }

    public func appeals(ofCreator creatorID: String) async throws -> [AppealRecord] {
        try Validate.identifier(creatorID, field: "creator_id")
        return try await store.read { try await $0.appeals(ofType: .creator, appellant: creatorID, limit: 100) }
    }

    /// An appeal with the decision it contests (none for an appeal against a misuse measure).
    public func overview(appealID: String) async throws -> (appeal: AppealRecord, decision: DecisionRecord?) {
        try Validate.identifier(appealID, field: "id")
        return try await store.read { session in
            guard let appeal = try await session.appeal(id: appealID) else { throw VigilError.notFound(resource: "appeal", id: appealID) }
            guard case .decision(let decisionID) = appeal.target else { return (appeal, nil) }
            return (appeal, try await session.decision(id: decisionID))
        }
    }

    /// A page of open appeals, oldest first, and the cursor of the next page if there is one.
    public func queue(cursor: String?, limit: Int) async throws -> (appeals: [AppealRecord], nextCursor: String?) {
        guard (1...100).contains(limit) else { throw VigilError.invalidField(field: "limit", detail: "must be between 1 and 100") }
        var position: (filedAt: Timestamp, id: String)?
        if let cursor {
            guard let decoded = OpaqueCursor.decode(cursor),
                  let colon = decoded.firstIndex(of: ":"), let ms = Int64(decoded[..<colon]) else {
                throw VigilError.invalidField(field: "cursor", detail: "is not a cursor this server issued")
            }
            position = (Timestamp(milliseconds: ms), String(decoded[decoded.index(after: colon)...]))
        }
        let page = try await store.read { [position] in try await $0.openAppeals(after: position, limit: limit + 1) }
        let appeals = Array(page.prefix(limit))
        let next = page.count > limit ? appeals.last.map { OpaqueCursor.encode("\($0.filedAt.milliseconds):\($0.id)") } : nil
        return (appeals, next)
    }

    public func claim(appealID: String, by moderator: AuthenticatedModerator) async throws -> AppealRecord {
        let now = clock.now()
        let expires = now.adding(seconds: rules.claimLeaseSeconds)
        return try await store.write { tx in
            guard var appeal = try await tx.appeal(id: appealID) else { throw VigilError.notFound(resource: "appeal", id: appealID) }
            guard appeal.status == .open else { throw VigilError.conflict(detail: "appeal \(appealID) is decided") }
            try await Self.refuseOriginalDecider(tx, appeal: appeal, moderator: moderator)
            guard try await tx.claimAppeal(id: appealID, moderatorID: moderator.id, now: now, expiresAt: expires) else {
                throw VigilError.conflict(detail: "appeal \(appealID) is held by another moderator")
            }
            try await tx.appendEvents([AuditEventDraft(type: .appealClaimed, subjectID: nil, payload: AppealClaimed(appealId: appealID, moderatorId: moderator.id, expiresAt: expires.milliseconds), occurredAt: now)])
            appeal.claimedBy = moderator.id
            appeal.claimExpiresAt = expires
            return appeal
        }
    }

    /// Decides an appeal held by `moderator`. Granted: what was contested is undone (see
    /// ``applyDecisionAppeal`` and ``applyMeasureAppeal``). Either way the appellant is told why.
    public func decide(appealID: String, by moderator: AuthenticatedModerator, outcome: AppealOutcome, note: String) async throws -> AppealRecord {
        try Validate.text(note, field: "note", max: DecisionInput.noteMaxCharacters)
        let now = clock.now()
        let policy = self.policy
        let rules = self.rules
        let ruleSet = self.ruleSet
        let (decided, withdrew) = try await store.write { tx in
            var withdrew = false
            guard var appeal = try await tx.appeal(id: appealID) else { throw VigilError.notFound(resource: "appeal", id: appealID) }
            guard appeal.status == .open else { throw VigilError.conflict(detail: "appeal \(appealID) is decided") }
            try await Self.refuseOriginalDecider(tx, appeal: appeal, moderator: moderator)
            guard appeal.holder(at: now) == moderator.id else { throw VigilError.conflict(detail: "you do not hold appeal \(appealID): claim it first") }
            try await tx.recordAppealOutcome(id: appealID, outcome: outcome, moderatorID: moderator.id, note: note, at: now)
            switch appeal.target {
            case .decision(let decisionID):
                try await Self.applyDecisionAppeal(
                    tx, appeal: appeal, decisionID: decisionID, outcome: outcome, moderator: moderator, note: note, at: now, policy: policy, rules: rules)
                if let decision = try await tx.decision(id: decisionID) {
                    try await tx.appendEvents(try await RuleOutcomes.appealDecided(tx, ruleSet: ruleSet, decision: decision, granted: outcome == .granted, at: now))
                    if outcome == .granted {
                        let bankEvents = try await ConfirmedRemovals.appealGranted(tx, decision: decision, appealID: appealID, at: now)
                        try await tx.appendEvents(bankEvents)
                        withdrew = !bankEvents.isEmpty
                    }
                }
            case .misuseMeasure(let measureID):
                try await Self.applyMeasureAppeal(tx, appeal: appeal, measureID: measureID, outcome: outcome, moderator: moderator, note: note, at: now)
            }
            appeal.status = outcome == .granted ? .granted : .denied
            appeal.decidedBy = moderator.id
            appeal.decidedAt = now
            appeal.outcomeNote = note
            return (appeal, withdrew)
        }
        if withdrew { _ = try? await banks?.refresh() }
        return decided
    }

    /// A decision under appeal: load what ``DecisionAppealEffects`` needs, apply it, write what it says.
    private static func applyDecisionAppeal(
        _ tx: StoreSession, appeal: AppealRecord, decisionID: String, outcome: AppealOutcome, moderator: AuthenticatedModerator,
        note: String, at now: Timestamp, policy: Policy, rules: ModerationRules
    ) async throws {
        guard let decision = try await tx.decision(id: decisionID), let subject = try await tx.subject(id: decision.subjectID) else {
            throw StoreCorruption(detail: "appeal \(appeal.id) without its decision or subject")
        }
        let counted = try await tx.countedReporters(caseID: decision.caseID)
        let loaded = DecisionAppealEffects.Loaded(
            appeal: appeal, decision: decision, subject: subject,
            unrevokedStrikes: try await tx.unrevokedStrikes(decisionID: decision.id),
            activeStrikes: try await tx.activeStrikeCount(creatorID: subject.creatorID, at: now),
            liftableActions: try await tx.activeAccountActions(decisionID: decision.id, at: now),
            countedReports: counted, reporters: try await tx.reporters(hashes: counted.keys),
            subjectHasOpenCase: !(try await tx.openCases(subjectIDs: [subject.id]).isEmpty),
            decidedCategory: try await tx.caseRecord(id: decision.caseID)?.category)
        let effects = DecisionAppealEffects(loaded, outcome: outcome, moderatorID: moderator.id, note: note, policy: policy, rules: rules, now: now)

        if let state = effects.subjectState { try await tx.setSubjectState(id: subject.id, state: state, ground: nil, at: now) }
        if effects.revokesStrikes { try await tx.revokeStrikes(decisionID: decision.id, by: appeal.id, at: now) }
        for id in effects.liftedActionIDs { try await tx.markAccountActionLifted(id: id, at: now) }
        for reporter in effects.reporters { try await tx.updateReporter(reporter, decidedPending: 0) }
        if let status = effects.reportStatus {
            try await tx.correctReportOutcomes(caseID: decision.caseID, to: status)
        }
        if let reopened = effects.reopenedCase { try await tx.insertCases([reopened]) }
        try await tx.appendEvents(effects.events)
        try await tx.insertNotices([effects.notice])
    }

    /// A misuse measure under appeal: load, apply ``MisuseAppealEffects``, write.
    private static func applyMeasureAppeal(
        _ tx: StoreSession, appeal: AppealRecord, measureID: String, outcome: AppealOutcome, moderator: AuthenticatedModerator,
        note: String, at now: Timestamp
    ) async throws {
        guard let measure = try await tx.misuseMeasure(id: measureID) else {
            throw StoreCorruption(detail: "appeal \(appeal.id) without its misuse measure")
        }
        let effects = MisuseAppealEffects(
            appeal: appeal, measure: measure, latestMeasureID: try await tx.latestMisuseMeasure(reporterHash: measure.reporterHash)?.id,
            reporter: try await tx.reporters(hashes: [measure.reporterHash])[measure.reporterHash],
            outcome: outcome, moderatorID: moderator.id, note: note, now: now)
        if effects.revokesMeasure {
            guard try await tx.revokeMisuseMeasure(id: measureID, byAppeal: appeal.id, at: now) else {
                throw VigilError.conflict(detail: "measure \(measureID) was revoked already")
            }
        }
        if let reporter = effects.reporter { try await tx.updateReporter(reporter, decidedPending: 0) }
        try await tx.appendEvents(effects.events)
        try await tx.insertNotices([effects.notice])
    }

    /// The moderator who made a decision may not decide its appeal (DSA Art. 20(6)).
    private static func refuseOriginalDecider(_ tx: StoreSession, appeal: AppealRecord, moderator: AuthenticatedModerator) async throws {
        guard let decisionID = appeal.decisionID else { return }  // misuse measures are decided by rule, not by a moderator
        if try await tx.decision(id: decisionID)?.moderatorID == moderator.id {
            throw VigilError.conflict(detail: "you made the decision under appeal: another moderator must decide the appeal")
        }
    }
}
