import SQLKit
import VigilCore

extension StoreSession {
    private static let caseColumns = "c.id, c.subject_id, c.kind, c.category, c.severity, c.opened_at, c.deadline_at, c.priority, c.status, c.claimed_by, c.claim_expires_at, c.decision_id, c.overdue, c.urgent, c.coordination, c.takedown_due_at, c.detected_by"

    /// The queue's order: urgent first (a lone report in a critical category), then live, then
    /// overdue, then by priority, then the nearest deadline.
    /// Exactly the `cases_queue` index, so a page is read in order without sorting the queue.
    private static let queueOrder: SQLQueryString = "ORDER BY c.urgent DESC, c.is_live DESC, c.overdue DESC, c.priority DESC, c.deadline_at ASC, c.id ASC"

    public func insertCases(_ cases: [CaseRecord]) async throws {
        guard !cases.isEmpty else { return }
        var insert = sql.insert(into: "cases").columns("id", "subject_id", "status", "category", "severity", "opened_at", "deadline_at", "kind", "priority", "is_live",
                                                         "urgent", "coordination", "takedown_due_at", "detected_by")
        for c in cases {
            insert = insert.values(c.id, c.subjectID, "open", c.category, c.severity.rawValue, c.openedAt.milliseconds, c.deadlineAt.milliseconds,
                                   c.kind.rawValue, c.priority, c.kind == .live ? 1 : 0, c.urgent ? 1 : 0, c.coordinationSuspected ? 1 : 0,
                                   c.takedownDueAt?.milliseconds, c.detectedBy)
        }
        try await insert.run()
    }

    /// Open cases by subject id.
    public func openCases(subjectIDs: some Collection<String>) async throws -> [String: CaseRecord] {
        guard !subjectIDs.isEmpty else { return [:] }
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.caseColumns) FROM cases c WHERE c.status = 'open' AND c.subject_id IN ("
        query.appendInterpolation(binds: Array(subjectIDs))
        query.appendLiteral(")")
        let records = try await sql.raw(query).all().map(Self.decodeCase)
        return Dictionary(records.map { ($0.subjectID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Open cases whose waiting takedown is due by `time`, soonest first.
    public func casesWithTakedownDue(at time: Timestamp, limit: Int) async throws -> [CaseRecord] {
        try await sql.raw("""
            SELECT \(unsafeRaw: Self.caseColumns) FROM cases c
            WHERE c.takedown_due_at IS NOT NULL AND c.takedown_due_at <= \(bind: time.milliseconds) AND c.status = 'open'
            ORDER BY c.takedown_due_at, c.id LIMIT \(literal: limit)
            """).all().map(Self.decodeCase)
    }

    /// Clears a case's waiting takedown once it was carried out or withheld. Returns whether this
    /// call cleared it: on several nodes, only the one that did acts on it.
    public func clearTakedownDue(caseID: String) async throws -> Bool {
        let cleared = try await sql.raw("""
            UPDATE cases SET takedown_due_at = NULL WHERE id = \(bind: caseID) AND takedown_due_at IS NOT NULL RETURNING id
            """).all()
        return !cleared.isEmpty
    }

    public func setCasePriority(id: String, priority: Double) async throws {
        try await sql.update("cases").set("priority", to: priority).where("id", .equal, id).run()
    }

    /// Writes what intake learned about an open case after it was opened: its priority and
    /// deadline, whether it became urgent or coordinated reporting was found, and a takedown waiting.
    public func updateOpenCase(_ record: CaseRecord) async throws {
        try await updateOpenCases([record])
    }

    /// ``updateOpenCase(_:)`` for many cases in one statement per 500 (intake changes a case per
    /// subject it touches, and a statement each cost a batch more than its reads).
    public func updateOpenCases(_ records: [CaseRecord]) async throws {
        // The columns of VALUES are column1…column7 on both engines; the casts give PostgreSQL their types.
        for chunk in records.chunked(into: 500) {
            var update: SQLQueryString = "UPDATE cases SET priority = v.column2, urgent = v.column3, deadline_at = v.column4, takedown_due_at = v.column5, coordination = v.column6, detected_by = v.column7 FROM (VALUES "
            for (index, record) in chunk.enumerated() {
                if index > 0 { update.appendLiteral(", ") }
                update.appendInterpolation("""
                    (CAST(\(bind: record.id) AS TEXT), CAST(\(bind: record.priority) AS DOUBLE PRECISION), CAST(\(bind: record.urgent ? 1 : 0) AS BIGINT), \
                    CAST(\(bind: record.deadlineAt.milliseconds) AS BIGINT), CAST(\(bind: record.takedownDueAt?.milliseconds) AS BIGINT), \
                    CAST(\(bind: record.coordinationSuspected ? 1 : 0) AS BIGINT), CAST(\(bind: record.detectedBy) AS TEXT))
                    """ as SQLQueryString)
            }
            update.appendLiteral(") AS v WHERE cases.id = v.column1")
            try await sql.raw(update).run()
        }
    }

    public func caseRecord(id: String) async throws -> CaseRecord? {
        try await sql.raw("SELECT \(unsafeRaw: Self.caseColumns) FROM cases c WHERE c.id = \(bind: id)").first().map(Self.decodeCase)
    }

    /// How many cases were ever opened.
    public func caseCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func openCaseCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cases WHERE status = 'open'").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A page of the open-case queue, in priority order, as of `now`.
    public func queue(_ filter: QueueFilter, now: Timestamp, offset: Int, limit: Int) async throws -> [QueueEntry] {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: Self.caseColumns), s.state AS subject_state, s.views, s.live_viewers,
              (SELECT COALESCE(SUM(sc.score), 0) FROM subject_scores sc WHERE sc.subject_id = c.subject_id) AS weighted_score
            FROM cases c JOIN subjects s ON s.id = c.subject_id
            WHERE c.status = 'open'
            """
        if let kind = filter.kind { query.appendInterpolation(" AND c.kind = \(bind: kind.rawValue)" as SQLQueryString) }
        if let category = filter.category { query.appendInterpolation(" AND c.category = \(bind: category)" as SQLQueryString) }
        if let state = filter.state { query.appendInterpolation(" AND s.state = \(bind: state.rawValue)" as SQLQueryString) }
        if let automated = filter.automated {
            query.appendLiteral(automated ? " AND c.detected_by IS NOT NULL" : " AND c.detected_by IS NULL")
        }
        if let coordinated = filter.coordinated {
            query.appendLiteral(coordinated ? " AND c.coordination = 1" : " AND c.coordination = 0")
        }
        if let overdue = filter.overdue {
            query.appendLiteral(overdue ? " AND c.overdue = 1" : " AND c.overdue = 0")
        }
        if let claimed = filter.claimed {
            let held: SQLQueryString = "(c.claimed_by IS NOT NULL AND c.claim_expires_at > \(bind: now.milliseconds))"
            query.appendLiteral(claimed ? " AND " : " AND NOT ")
            query.appendInterpolation(held)
        }
        query.appendLiteral(" ")
        query.appendInterpolation(Self.queueOrder)
        query.appendInterpolation(" LIMIT \(literal: limit) OFFSET \(literal: offset)" as SQLQueryString)
        return try await sql.raw(query).all().map { row in
            let state = try row.decode(column: "subject_state", as: String.self)
            guard let subjectState = VisibilityState(rawValue: state) else { throw StoreCorruption(detail: "subject state '\(state)'") }
            return QueueEntry(
                record: try Self.decodeCase(row), subjectState: subjectState,
                weightedScore: try row.decode(column: "weighted_score", as: Double.self),
                reach: Reach(views: try row.decode(column: "views", as: Int.self), liveViewers: try row.decode(column: "live_viewers", as: Int.self)))
        }
    }

    /// Gives the case to `moderatorID` until `expiresAt` if it is open and nobody else holds an
    /// unexpired lease on it (the holder may renew). Returns whether the claim took.
    public func claimCase(id: String, moderatorID: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE cases SET claimed_by = \(bind: moderatorID), claim_expires_at = \(bind: expiresAt.milliseconds)
            WHERE id = \(bind: id) AND status = 'open'
              AND (claimed_by IS NULL OR claim_expires_at <= \(bind: now.milliseconds) OR claimed_by = \(bind: moderatorID))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// The id of the most urgent open case nobody holds, skipping rows other nodes have locked.
    public func nextUnclaimedCase(now: Timestamp) async throws -> String? {
        var query: SQLQueryString = "SELECT c.id FROM cases c WHERE c.status = 'open' AND (c.claimed_by IS NULL OR c.claim_expires_at <= \(bind: now.milliseconds)) "
        query.appendInterpolation(Self.queueOrder)
        query.appendLiteral(" LIMIT 1")
        query.appendLiteral(engine.lockRowsSkippingLocked)
        return try await sql.raw(query).first()?.decode(column: "id", as: String.self)
    }

    public func releaseCase(id: String, moderatorID: String) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE cases SET claimed_by = NULL, claim_expires_at = NULL
            WHERE id = \(bind: id) AND status = 'open' AND claimed_by = \(bind: moderatorID) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Marks open cases whose deadline passed by `time` as overdue. Returns how many.
    @discardableResult
    public func markOverdueCases(at time: Timestamp) async throws -> Int {
        try await sql.raw("""
            UPDATE cases SET overdue = 1 WHERE status = 'open' AND overdue = 0 AND deadline_at <= \(bind: time.milliseconds) RETURNING id
            """).all().count
    }

    /// Closes a case with its decision. A takedown still waiting is dropped with it: the decision
    /// settled the subject, and the waiting index stays as small as the cases that wait.
    public func closeCase(id: String, decisionID: String, at time: Timestamp) async throws {
        try await sql.update("cases")
            .set("status", to: "closed").set("decision_id", to: decisionID).set("closed_at", to: time.milliseconds)
            .set("claimed_by", to: SQLLiteral.null).set("claim_expires_at", to: SQLLiteral.null).set("takedown_due_at", to: SQLLiteral.null)
            .where("id", .equal, id).run()
    }

    /// The reports a case is about: for an open case, the subject's undecided reports; for a
    /// closed one, those its decision resolved. Oldest first.
    /// `FROM … WHERE …` selecting a case's reports: an open case has its subject's open reports, a
    /// closed one the reports its decision resolved.
    private static func reportsOf(_ record: CaseRecord, joining: String = "") -> SQLQueryString {
        switch record.status {
        case .open:
            "FROM reports r JOIN report_outcomes o ON o.report_id = r.id \(unsafeRaw: joining) WHERE r.subject_id = \(bind: record.subjectID) AND o.status = 'open'"
        case .closed:
            "FROM reports r JOIN report_outcomes o ON o.report_id = r.id \(unsafeRaw: joining) WHERE o.case_id = \(bind: record.id)"
        }
    }

    public func reports(ofCase record: CaseRecord) async throws -> [CaseReport] {
        try await sql.raw("SELECT r.* \(Self.reportsOf(record)) ORDER BY r.id").all().map(Self.decodeCaseReport)
    }

    /// A case's reports counted by reason, channel and whether they counted: a summary whose size
    /// is bounded by the policy, however many reports there are.
    public func reportTally(ofCase record: CaseRecord) async throws -> [ReportTally] {
        let query: SQLQueryString = """
            SELECT r.reason, r.channel, r.counted, COUNT(*) AS n, SUM(r.weight) AS weight,
                   COUNT(r.note) AS notes \(Self.reportsOf(record)) GROUP BY r.reason, r.channel, r.counted
            """
        return try await sql.raw(query).all().map { row in
            ReportTally(
                reason: try row.decode(column: "reason", as: String.self), channel: try row.decode(column: "channel", as: String.self),
                counted: try row.decode(column: "counted", as: Int.self) != 0, reports: try row.decode(column: "n", as: Int.self),
                weight: try row.decode(column: "weight", as: Double.self), withNotes: try row.decode(column: "notes", as: Int.self))
        }
    }

    /// The counted weight a case's reports added, hour by hour (hours with none are left out).
    public func hourlyScore(ofCase record: CaseRecord) async throws -> [HourlyScore] {
        let query: SQLQueryString = """
            SELECT r.received_at / 3600000 AS hour, COUNT(*) AS n, SUM(r.weight) AS weight
            \(Self.reportsOf(record)) AND r.counted <> 0 GROUP BY r.received_at / 3600000 ORDER BY 1
            """
        return try await sql.raw(query).all().map { row in
            HourlyScore(hour: Timestamp(milliseconds: try row.decode(column: "hour", as: Int64.self) * 3_600_000),
                        reports: try row.decode(column: "n", as: Int.self), weight: try row.decode(column: "weight", as: Double.self))
        }
    }

    /// A page of a case's reports in the order they arrived, each with its position among all the
    /// case's reports (from 0), which is what the reporter's per-case pseudonym is made from.
    public func reportPage(ofCase record: CaseRecord, reason: String?, afterPosition: Int, limit: Int) async throws -> [(position: Int, report: CaseReport)] {
        var query: SQLQueryString = """
            SELECT * FROM (SELECT r.*, ROW_NUMBER() OVER (ORDER BY r.id) - 1 AS position \(Self.reportsOf(record))) t
            WHERE t.position > \(bind: afterPosition)
            """
        if let reason {
            query.appendLiteral(" AND t.reason = ")
            query.appendInterpolation(bind: reason)
        }
        query.appendLiteral(" ORDER BY t.position LIMIT ")
        query.appendInterpolation(bind: limit)
        return try await sql.raw(query).all().map { row in
            (try row.decode(column: "position", as: Int.self), try Self.decodeCaseReport(row))
        }
    }

    /// A case's counted reports as voices, each with its position among all the case's reports
    /// (the per-case pseudonym), oldest first.
    public func voices(ofCase record: CaseRecord) async throws -> [(position: Int, voice: ReportVoice)] {
        let query: SQLQueryString = """
            SELECT * FROM (SELECT r.id, r.reporter_hash, r.reason, r.weight, r.standing, r.received_at, r.counted,
                   COALESCE(p.reports_filed, 1) AS filed, ROW_NUMBER() OVER (ORDER BY r.id) - 1 AS position
                   \(Self.reportsOf(record, joining: "LEFT JOIN reporters p ON p.reporter_hash = r.reporter_hash"))) t
            WHERE t.counted <> 0 ORDER BY t.position
            """
        return try await sql.raw(query).all().map { row in
            let standing = try row.decode(column: "standing", as: String?.self)
            return (try row.decode(column: "position", as: Int.self), ReportVoice(
                reporterHash: try row.decode(column: "reporter_hash", as: String.self),
                category: try row.decode(column: "reason", as: String.self),
                weight: try row.decode(column: "weight", as: Double.self),
                standing: standing.flatMap(VoiceStanding.init(rawValue:)) ?? .ordinary,
                receivedAt: Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)),
                reporterReportsFiled: try row.decode(column: "filed", as: Int.self)))
        }
    }

    private static func decodeCaseReport(_ row: any SQLRow) throws -> CaseReport {
        let channel = try row.decode(column: "channel", as: String.self)
        guard let parsed = ReportChannel(rawValue: channel) else { throw StoreCorruption(detail: "report channel '\(channel)'") }
        return CaseReport(
            id: try row.decode(column: "id", as: String.self),
            reporterHash: try row.decode(column: "reporter_hash", as: String.self),
            reason: try row.decode(column: "reason", as: String.self),
            note: try row.decode(column: "note", as: String?.self),
            channel: parsed,
            weight: try row.decode(column: "weight", as: Double.self),
            counted: try row.decode(column: "counted", as: Int.self) != 0,
            receivedAt: Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)),
            noticeExplanation: try row.decode(column: "notice_explanation", as: String?.self),
            noticeLocation: try row.decode(column: "notice_location", as: String?.self),
            noticeLegalGround: try row.decode(column: "notice_legal_ground", as: String?.self))
    }

    /// Records the outcome of reports decided together.
    public func resolveReports(ids: [String], status: ReportStatus, caseID: String, at time: Timestamp) async throws {
        for chunk in ids.chunked(into: 500) {
            try await sql.update("report_outcomes")
                .set("status", to: status.rawValue).set("case_id", to: caseID).set("decided_at", to: time.milliseconds)
                .where("report_id", .in, Array(chunk)).run()
        }
    }

    static func decodeCase(_ row: any SQLRow) throws -> CaseRecord {
        let kind = try row.decode(column: "kind", as: String.self)
        let severity = try row.decode(column: "severity", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        guard let k = SubjectKind(rawValue: kind), let sev = Severity(rawValue: severity), let st = CaseRecord.Status(rawValue: status) else {
            throw StoreCorruption(detail: "case row with kind '\(kind)', severity '\(severity)', status '\(status)'")
        }
        var record = CaseRecord(
            id: try row.decode(column: "id", as: String.self), subjectID: try row.decode(column: "subject_id", as: String.self),
            kind: k, category: try row.decode(column: "category", as: String.self), severity: sev,
            openedAt: Timestamp(milliseconds: try row.decode(column: "opened_at", as: Int64.self)),
            deadlineAt: Timestamp(milliseconds: try row.decode(column: "deadline_at", as: Int64.self)),
            priority: try row.decode(column: "priority", as: Double.self))
        record.status = st
        record.claimedBy = try row.decode(column: "claimed_by", as: String?.self)
        record.claimExpiresAt = try row.decode(column: "claim_expires_at", as: Int64?.self).map(Timestamp.init(milliseconds:))
        record.decisionID = try row.decode(column: "decision_id", as: String?.self)
        record.markedOverdue = try row.decode(column: "overdue", as: Int.self) != 0
        record.urgent = try row.decode(column: "urgent", as: Int.self) != 0
        record.coordinationSuspected = try row.decode(column: "coordination", as: Int.self) != 0
        record.takedownDueAt = try row.decode(column: "takedown_due_at", as: Int64?.self).map(Timestamp.init(milliseconds:))
        record.detectedBy = try row.decode(column: "detected_by", as: String?.self)
        return record
    }
}
