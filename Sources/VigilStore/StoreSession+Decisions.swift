import SQLKit
import VigilCore

extension StoreSession {
    public func insertDecision(_ d: DecisionRecord) async throws {
        try await sql.insert(into: "decisions").columns(
            "id", "case_id", "subject_id", "creator_id", "moderator_id", "outcome", "policy_ids", "action", "strike", "note",
            "policy_version", "previous_state", "resulting_state", "automated", "decided_at")
            .values(d.id, d.caseID, d.subjectID, d.creatorID, d.moderatorID, d.outcome.rawValue, d.policyIDs.joined(separator: " "),
                    d.action?.rawValue, d.strike ? 1 : 0, d.note, d.policyVersion, d.previousState.rawValue, d.resultingState.rawValue,
                    d.automated ? 1 : 0, d.decidedAt.milliseconds)
            .run()
    }

    public func decision(id: String) async throws -> DecisionRecord? {
        try await sql.raw("SELECT * FROM decisions WHERE id = \(bind: id)").first().map(Self.decodeDecision)
    }

    /// A creator's decisions, newest first.
    public func decisions(ofCreator creatorID: String, limit: Int) async throws -> [DecisionRecord] {
        try await sql.raw("SELECT * FROM decisions WHERE creator_id = \(bind: creatorID) ORDER BY decided_at DESC, id DESC LIMIT \(literal: limit)")
            .all().map(Self.decodeDecision)
    }

    static func decodeDecision(_ row: any SQLRow) throws -> DecisionRecord {
        let outcome = try row.decode(column: "outcome", as: String.self)
        let previous = try row.decode(column: "previous_state", as: String.self)
        let resulting = try row.decode(column: "resulting_state", as: String.self)
        let action = try row.decode(column: "action", as: String?.self)
        guard let o = DecisionOutcome(rawValue: outcome), let p = VisibilityState(rawValue: previous), let r = VisibilityState(rawValue: resulting) else {
            throw StoreCorruption(detail: "decision row with outcome '\(outcome)'")
        }
        return DecisionRecord(
            id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
            subjectID: try row.decode(column: "subject_id", as: String.self), creatorID: try row.decode(column: "creator_id", as: String.self),
            moderatorID: try row.decode(column: "moderator_id", as: String.self), outcome: o,
            policyIDs: try row.decode(column: "policy_ids", as: String.self).split(separator: " ").map(String.init),
            action: action.flatMap(EnforcementAction.init(rawValue:)), strike: try row.decode(column: "strike", as: Int.self) != 0,
            note: try row.decode(column: "note", as: String.self), policyVersion: try row.decode(column: "policy_version", as: String.self),
            previousState: p, resultingState: r, automated: try row.decode(column: "automated", as: Int.self) != 0,
            decidedAt: Timestamp(milliseconds: try row.decode(column: "decided_at", as: Int64.self)))
    }

    // MARK: Strikes and account measures

    public func insertStrike(id: String, creatorID: String, decisionID: String, at time: Timestamp, expiresAt: Timestamp) async throws {
        try await sql.insert(into: "strikes").columns("id", "creator_id", "decision_id", "created_at", "expires_at")
            .values(id, creatorID, decisionID, time.milliseconds, expiresAt.milliseconds).run()
    }

    public func activeStrikeCount(creatorID: String, at time: Timestamp) async throws -> Int {
        try await sql.raw("""
            SELECT COUNT(*) AS n FROM strikes
            WHERE creator_id = \(bind: creatorID) AND revoked_at IS NULL AND expires_at > \(bind: time.milliseconds)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func insertAccountAction(_ a: AccountActionRecord) async throws {
        try await sql.insert(into: "account_actions").columns("id", "creator_id", "action", "decision_id", "active_strikes", "starts_at", "ends_at")
            .values(a.id, a.creatorID, a.action.rawValue, a.decisionID, a.activeStrikes, a.startsAt.milliseconds, a.endsAt?.milliseconds).run()
    }

    /// Account measures in force at `time`.
    public func activeAccountActions(creatorID: String, at time: Timestamp) async throws -> [AccountActionRecord] {
        try await sql.raw("""
            SELECT * FROM account_actions WHERE creator_id = \(bind: creatorID) AND lifted_at IS NULL
              AND (ends_at IS NULL OR ends_at > \(bind: time.milliseconds)) ORDER BY starts_at
            """).all().map(Self.decodeAccountAction)
    }

    /// Measures whose period ended by `time` and that were not yet recorded as lifted.
    public func lapsedAccountActions(at time: Timestamp, limit: Int) async throws -> [AccountActionRecord] {
        try await sql.raw("""
            SELECT * FROM account_actions WHERE lifted_at IS NULL AND ends_at IS NOT NULL AND ends_at <= \(bind: time.milliseconds)
            ORDER BY ends_at LIMIT \(literal: limit)
            """).all().map(Self.decodeAccountAction)
    }

    public func markAccountActionLifted(id: String, at time: Timestamp) async throws {
        try await sql.update("account_actions").set("lifted_at", to: time.milliseconds).where("id", .equal, id).run()
    }

    static func decodeAccountAction(_ row: any SQLRow) throws -> AccountActionRecord {
        let action = try row.decode(column: "action", as: String.self)
        guard let kind = AccountActionKind(rawValue: action) else { throw StoreCorruption(detail: "account action '\(action)'") }
        return AccountActionRecord(
            id: try row.decode(column: "id", as: String.self), creatorID: try row.decode(column: "creator_id", as: String.self),
            action: kind, decisionID: try row.decode(column: "decision_id", as: String.self),
            activeStrikes: try row.decode(column: "active_strikes", as: Int.self),
            startsAt: Timestamp(milliseconds: try row.decode(column: "starts_at", as: Int64.self)),
            endsAt: try row.decode(column: "ends_at", as: Int64?.self).map(Timestamp.init(milliseconds:)))
    }

    // MARK: Notices

    public func insertNotices(_ notices: [NoticeRecord]) async throws {
        guard !notices.isEmpty else { return }
        var insert = sql.insert(into: "notices").columns("id", "recipient_type", "recipient", "kind", "subject_id", "decision_id", "body", "created_at")
        for n in notices {
            insert = insert.values(n.id, n.recipient.type, n.recipient.key, n.kind.rawValue, n.subjectID, n.decisionID, n.body, n.createdAt.milliseconds)
        }
        try await insert.run()
        // Creators' notices go out as webhooks too, for the platform to deliver. Reporters' do not:
        // a webhook would have to name the reporter, whom Vigil knows only by a keyed hash.
        try await appendWebhookMessages(notices.compactMap { notice in
            guard case .creator = notice.recipient else { return nil }
            return (WebhookMessage.noticeType, .notice, notice.id, notice.createdAt)
        })
    }

    /// A recipient's notices, newest first, before the cursor (a notice id) if given.
    public func notices(for recipient: NoticeRecord.Recipient, before cursor: String?, limit: Int) async throws -> [NoticeRecord] {
        var query: SQLQueryString = "SELECT * FROM notices WHERE recipient_type = \(bind: recipient.type) AND recipient = \(bind: recipient.key)"
        if let cursor { query.appendInterpolation(" AND id < \(bind: cursor)" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY id DESC LIMIT \(literal: limit)" as SQLQueryString)
        return try await sql.raw(query).all().map { row in
            let kind = try row.decode(column: "kind", as: String.self)
            guard let parsed = NoticeKind(rawValue: kind) else { throw StoreCorruption(detail: "notice kind '\(kind)'") }
            return NoticeRecord(
                id: try row.decode(column: "id", as: String.self), recipient: recipient, kind: parsed,
                subjectID: try row.decode(column: "subject_id", as: String?.self), decisionID: try row.decode(column: "decision_id", as: String?.self),
                body: try row.decode(column: "body", as: String.self),
                createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    // MARK: Enforcement feed

    /// Enforcement events after `seq`, oldest first: the platform's feed of acts to apply.
    public func enforcementEvents(after seq: Int64, limit: Int) async throws -> [AuditEvent] {
        let types = AuditEventType.enforcement.map(\.rawValue)
        let rows = try await sql.select()
            .columns("seq", "type", "subject_id", "payload", "occurred_at", "prev_hash", "hash")
            .from("audit_events").where("seq", .greaterThan, seq).where("type", .in, types).orderBy("seq").limit(limit).all()
        return try rows.map { row in
            AuditEvent(
                seq: try row.decode(column: "seq", as: Int64.self), type: try row.decode(column: "type", as: String.self),
                subjectID: try row.decode(column: "subject_id", as: String?.self), payload: try row.decode(column: "payload", as: String.self),
                occurredAt: Timestamp(milliseconds: try row.decode(column: "occurred_at", as: Int64.self)),
                prevHash: try row.decode(column: "prev_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self))
        }
    }
}
