import SQLKit
import VigilCore

extension StoreSession {
    public func insertAppeal(_ a: AppealRecord) async throws {
        try await sql.insert(into: "appeals").columns("id", "decision_id", "measure_id", "appellant_type", "appellant", "statement", "status", "filed_at")
            .values(a.id, a.decisionID, a.measureID, a.appellantType.rawValue, a.appellant, a.statement, a.status.rawValue, a.filedAt.milliseconds).run()
    }

    public func appeal(id: String) async throws -> AppealRecord? {
        try await sql.raw("SELECT * FROM appeals WHERE id = \(bind: id)").first().map(Self.decodeAppeal)
    }

    public func appealExists(target: AppealTarget, appellantType: AppellantType, appellant: String) async throws -> Bool {
        let column: SQLQueryString = switch target {
        case .decision(let id): "decision_id = \(bind: id)"
        case .misuseMeasure(let id): "measure_id = \(bind: id)"
        }
        return try await sql.raw("""
            SELECT id FROM appeals WHERE \(column) AND appellant_type = \(bind: appellantType.rawValue) AND appellant = \(bind: appellant)
            """).first() != nil
    }

    /// An appellant's appeals, newest first.
    public func appeals(ofType type: AppellantType, appellant: String, limit: Int) async throws -> [AppealRecord] {
        try await sql.raw("""
            SELECT * FROM appeals WHERE appellant_type = \(bind: type.rawValue) AND appellant = \(bind: appellant)
            ORDER BY filed_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(Self.decodeAppeal)
    }

    /// Open appeals, oldest first (appeals are decided in the order they came).
    public func openAppeals(after position: (filedAt: Timestamp, id: String)?, limit: Int) async throws -> [AppealRecord] {
        // Keyset paging: a page starts after the last appeal of the one before, however many came since.
        let after: SQLQueryString = position.map {
            "AND (filed_at > \(bind: $0.filedAt.milliseconds) OR (filed_at = \(bind: $0.filedAt.milliseconds) AND id > \(bind: $0.id)))"
        } ?? ""
        return try await sql.raw("SELECT * FROM appeals WHERE status = 'open' \(after) ORDER BY filed_at, id LIMIT \(literal: limit)")
            .all().map(Self.decodeAppeal)
    }

    public func claimAppeal(id: String, moderatorID: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        !(try await sql.raw("""
            UPDATE appeals SET claimed_by = \(bind: moderatorID), claim_expires_at = \(bind: expiresAt.milliseconds)
            WHERE id = \(bind: id) AND status = 'open'
              AND (claimed_by IS NULL OR claim_expires_at <= \(bind: now.milliseconds) OR claimed_by = \(bind: moderatorID))
            RETURNING id
            """).all()).isEmpty
    }

    public func recordAppealOutcome(id: String, outcome: AppealOutcome, moderatorID: String, note: String, at time: Timestamp) async throws {
        try await sql.update("appeals")
            .set("status", to: outcome.rawValue).set("decided_by", to: moderatorID).set("decided_at", to: time.milliseconds)
            .set("outcome_note", to: note).set("claimed_by", to: SQLLiteral.null).set("claim_expires_at", to: SQLLiteral.null)
            .where("id", .equal, id).run()
    }

    /// Whether a reporter had a report resolved by the decision's case.
    /// Who filed a report and the decision that resolved it (nil while undecided); nil if there is no such report.
    public func decisionOfReport(id: String) async throws -> (reporterHash: String, decisionID: String?)? {
        guard let row = try await sql.raw("""
            SELECT r.reporter_hash, c.decision_id FROM reports r JOIN report_outcomes o ON o.report_id = r.id
            LEFT JOIN cases c ON c.id = o.case_id WHERE r.id = \(bind: id)
            """).first() else { return nil }
        return (try row.decode(column: "reporter_hash", as: String.self), try row.decode(column: "decision_id", as: String?.self))
    }

    /// A decision's strikes not yet revoked, with when each expires.
    public func unrevokedStrikes(decisionID: String) async throws -> [(id: String, expiresAt: Timestamp)] {
        try await sql.raw("SELECT id, expires_at FROM strikes WHERE decision_id = \(bind: decisionID) AND revoked_at IS NULL ORDER BY id").all().map {
            (try $0.decode(column: "id", as: String.self), Timestamp(milliseconds: try $0.decode(column: "expires_at", as: Int64.self)))
        }
    }

    /// Revokes the strikes a decision added that are not revoked yet.
    public func revokeStrikes(decisionID: String, by appealID: String, at time: Timestamp) async throws {
        try await sql.raw("""
            UPDATE strikes SET revoked_at = \(bind: time.milliseconds), revoked_by = \(bind: appealID)
            WHERE decision_id = \(bind: decisionID) AND revoked_at IS NULL
            """).run()
    }

    /// Account measures a decision brought that are still in force.
    public func activeAccountActions(decisionID: String, at time: Timestamp) async throws -> [AccountActionRecord] {
        try await sql.raw("""
            SELECT * FROM account_actions WHERE decision_id = \(bind: decisionID) AND lifted_at IS NULL
              AND (ends_at IS NULL OR ends_at > \(bind: time.milliseconds))
            """).all().map(Self.decodeAccountAction)
    }

    /// Corrects the outcome of the reports a decision resolved.
    public func correctReportOutcomes(caseID: String, to status: ReportStatus) async throws {
        try await sql.update("report_outcomes").set("status", to: status.rawValue).where("case_id", .equal, caseID).run()
    }

    /// The counted reports a decision's case resolved, by reporter hash.
    public func countedReporters(caseID: String) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT r.reporter_hash, COUNT(*) AS n FROM reports r JOIN report_outcomes o ON o.report_id = r.id
            WHERE o.case_id = \(bind: caseID) AND r.counted = 1 GROUP BY r.reporter_hash
            """).all() {
            counts[try row.decode(column: "reporter_hash", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    static func decodeAppeal(_ row: any SQLRow) throws -> AppealRecord {
        let type = try row.decode(column: "appellant_type", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        guard let t = AppellantType(rawValue: type), let s = AppealStatus(rawValue: status) else {
            throw StoreCorruption(detail: "appeal with type '\(type)' and status '\(status)'")
        }
        let target: AppealTarget
        switch (try row.decode(column: "decision_id", as: String?.self), try row.decode(column: "measure_id", as: String?.self)) {
        case (let decision?, nil): target = .decision(decision)
        case (nil, let measure?): target = .misuseMeasure(measure)
        default: throw StoreCorruption(detail: "appeal without exactly one of a decision and a misuse measure")
        }
        var appeal = AppealRecord(
            id: try row.decode(column: "id", as: String.self), target: target,
            appellantType: t, appellant: try row.decode(column: "appellant", as: String.self),
            statement: try row.decode(column: "statement", as: String.self),
            filedAt: Timestamp(milliseconds: try row.decode(column: "filed_at", as: Int64.self)))
        appeal.status = s
        appeal.claimedBy = try row.decode(column: "claimed_by", as: String?.self)
        appeal.claimExpiresAt = try row.decode(column: "claim_expires_at", as: Int64?.self).map(Timestamp.init(milliseconds:))
        appeal.decidedBy = try row.decode(column: "decided_by", as: String?.self)
        appeal.decidedAt = try row.decode(column: "decided_at", as: Int64?.self).map(Timestamp.init(milliseconds:))
        appeal.outcomeNote = try row.decode(column: "outcome_note", as: String?.self)
        return appeal
    }
}
