import SQLKit
import VigilCore

extension StoreSession {
    // MARK: Enrolment links

    public func insertEnrolment(tokenHash: String, moderatorID: String, at time: Timestamp, expiresAt: Timestamp) async throws {
        try await sql.insert(into: "console_enrolments").columns("token_hash", "moderator_id", "created_at", "expires_at")
            .values(tokenHash, moderatorID, time.milliseconds, expiresAt.milliseconds).run()
    }

    /// Uses an enrolment link: returns its moderator if the link exists, is unused and unexpired
    /// at `time`, and marks it used, so of two concurrent uses exactly one succeeds.
    public func useEnrolment(tokenHash: String, at time: Timestamp) async throws -> String? {
        try await sql.raw("""
            UPDATE console_enrolments SET used_at = \(bind: time.milliseconds)
            WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: time.milliseconds)
            RETURNING moderator_id
            """).first()?.decode(column: "moderator_id", as: String.self)
    }

    /// The moderator of a link still good at `time`, without using it (to show the form).
    public func pendingEnrolment(tokenHash: String, at time: Timestamp) async throws -> String? {
        try await sql.raw("""
            SELECT moderator_id FROM console_enrolments
            WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: time.milliseconds)
            """).first()?.decode(column: "moderator_id", as: String.self)
    }

    /// Withdraws a moderator's unused links (a new one replaces them).
    public func withdrawEnrolments(moderatorID: String, at time: Timestamp) async throws {
        try await sql.raw("UPDATE console_enrolments SET used_at = \(bind: time.milliseconds) WHERE moderator_id = \(bind: moderatorID) AND used_at IS NULL").run()
    }

    // MARK: Credentials

    /// Sets a moderator's console credential, replacing any earlier one (enrolment again after a reset).
    public func saveCredential(_ credential: ConsoleCredential) async throws {
        try await sql.raw("DELETE FROM console_credentials WHERE moderator_id = \(bind: credential.moderatorID)").run()
        try await sql.insert(into: "console_credentials")
            .columns("moderator_id", "password_hash", "totp_seal", "enrolled_at", "failures", "locked_until", "last_totp_step")
            .values(credential.moderatorID, credential.passwordHash, credential.totpSeal, credential.enrolledAt.milliseconds,
                    credential.failures, credential.lockedUntil?.milliseconds, credential.lastTOTPStep).run()
    }

    public func credential(moderatorID: String) async throws -> ConsoleCredential? {
        guard let row = try await sql.raw("SELECT * FROM console_credentials WHERE moderator_id = \(bind: moderatorID)").first() else { return nil }
        return ConsoleCredential(
            moderatorID: try row.decode(column: "moderator_id", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            totpSeal: try row.decode(column: "totp_seal", as: String?.self),
            enrolledAt: Timestamp(milliseconds: try row.decode(column: "enrolled_at", as: Int64.self)),
            failures: try row.decode(column: "failures", as: Int.self),
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Timestamp.init(milliseconds:)),
            lastTOTPStep: try row.decode(column: "last_totp_step", as: Int64?.self))
    }

    /// A moderator's console settings: the standard ones until the moderator changes any.
    public func consolePreferences(moderatorID: String) async throws -> ConsolePreferences {
        guard let row = try await sql.raw("SELECT media_blur FROM console_preferences WHERE moderator_id = \(bind: moderatorID)").first() else {
            return .standard
        }
        let blur = try row.decode(column: "media_blur", as: Int.self)
        guard let mediaBlur = ConsolePreferences.MediaBlur(rawValue: blur) else {
            throw StoreCorruption(detail: "moderator '\(moderatorID)' has media blur \(blur)")
        }
        return ConsolePreferences(mediaBlur: mediaBlur)
    }

    /// Replaces a moderator's console settings.
    public func saveConsolePreferences(_ preferences: ConsolePreferences, moderatorID: String, at time: Timestamp) async throws {
        try await sql.raw("DELETE FROM console_preferences WHERE moderator_id = \(bind: moderatorID)").run()
        try await sql.insert(into: "console_preferences").columns("moderator_id", "media_blur", "updated_at")
            .values(moderatorID, preferences.mediaBlur.rawValue, time.milliseconds).run()
    }

    /// Records the outcome of a sign-in attempt on the credential: the failures in a row, the lock, the TOTP step used.
    public func updateSignInState(moderatorID: String, failures: Int, lockedUntil: Timestamp?, lastTOTPStep: Int64?) async throws {
        try await sql.raw("""
            UPDATE console_credentials SET failures = \(bind: failures), locked_until = \(bind: lockedUntil?.milliseconds),
              last_totp_step = \(bind: lastTOTPStep) WHERE moderator_id = \(bind: moderatorID)
            """).run()
    }

    // MARK: Sessions

    public func insertConsoleSession(_ session: ConsoleSessionRecord) async throws {
        try await sql.insert(into: "console_sessions").columns("id_hash", "moderator_id", "created_at", "last_seen_at")
            .values(session.idHash, session.moderatorID, session.createdAt.milliseconds, session.lastSeenAt.milliseconds).run()
    }

    public func consoleSession(idHash: String) async throws -> ConsoleSessionRecord? {
        guard let row = try await sql.raw("SELECT * FROM console_sessions WHERE id_hash = \(bind: idHash)").first() else { return nil }
        return ConsoleSessionRecord(
            idHash: try row.decode(column: "id_hash", as: String.self), moderatorID: try row.decode(column: "moderator_id", as: String.self),
            createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            lastSeenAt: Timestamp(milliseconds: try row.decode(column: "last_seen_at", as: Int64.self)),
            endedAt: try row.decode(column: "ended_at", as: Int64?.self).map(Timestamp.init(milliseconds:)))
    }

    public func touchConsoleSession(idHash: String, at time: Timestamp) async throws {
        try await sql.raw("UPDATE console_sessions SET last_seen_at = \(bind: time.milliseconds) WHERE id_hash = \(bind: idHash) AND ended_at IS NULL").run()
    }

    /// Ends a session; true if this call ended it.
    public func endConsoleSession(idHash: String, at time: Timestamp) async throws -> Bool {
        !(try await sql.raw("UPDATE console_sessions SET ended_at = \(bind: time.milliseconds) WHERE id_hash = \(bind: idHash) AND ended_at IS NULL RETURNING id_hash").all()).isEmpty
    }

    /// Ends every open session of a moderator (disabled, role changed, enrolment reset).
    public func endConsoleSessions(moderatorID: String, at time: Timestamp) async throws {
        try await sql.raw("UPDATE console_sessions SET ended_at = \(bind: time.milliseconds) WHERE moderator_id = \(bind: moderatorID) AND ended_at IS NULL").run()
    }
}

extension StoreSession {
    // MARK: Console reads

    /// A report's sealed reporter id and its subject, for the privacy officer's audited unseal only.
    public func reporterSeal(ofReport reportID: String) async throws -> (seal: String, subjectID: String)? {
        guard let row = try await sql.raw("SELECT reporter_seal, subject_id FROM reports WHERE id = \(bind: reportID)").first() else { return nil }
        return (try row.decode(column: "reporter_seal", as: String.self), try row.decode(column: "subject_id", as: String.self))
    }

    /// Audit events newest first, before `beforeSeq` when given, of one type, subject or moderator
    /// (named in the payload) when given.
    public func auditPage(type: String?, subjectID: String?, moderatorID: String?, beforeSeq: Int64?, limit: Int) async throws -> [AuditEvent] {
        var query: SQLQueryString = "SELECT seq, type, subject_id, payload, occurred_at, prev_hash, hash FROM audit_events WHERE 1 = 1"
        if let type { query.appendInterpolation(" AND type = \(bind: type)" as SQLQueryString) }
        if let subjectID { query.appendInterpolation(" AND subject_id = \(bind: subjectID)" as SQLQueryString) }
        // Payloads are sorted-key JSON: a moderator is named by exactly this member.
        if let moderatorID { query.appendInterpolation(" AND payload LIKE \(bind: "%\"moderator_id\":\"\(moderatorID)\"%")" as SQLQueryString) }
        if let beforeSeq { query.appendInterpolation(" AND seq < \(bind: beforeSeq)" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY seq DESC LIMIT \(literal: limit)" as SQLQueryString)
        return try await sql.raw(query).all().map { row in
            AuditEvent(
                seq: try row.decode(column: "seq", as: Int64.self), type: try row.decode(column: "type", as: String.self),
                subjectID: try row.decode(column: "subject_id", as: String?.self), payload: try row.decode(column: "payload", as: String.self),
                occurredAt: Timestamp(milliseconds: try row.decode(column: "occurred_at", as: Int64.self)),
                prevHash: try row.decode(column: "prev_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self))
        }
    }
}

extension StoreSession {
    /// The dashboard's figures since `since`, with reports counted in buckets of `bucketSeconds`.
    /// Reports are read by id range (ids begin with their time), so only the period's are touched.
    public func moderationFigures(since: Timestamp, bucketSeconds: Int64, decisionSample: Int) async throws -> ModerationFigures {
        let bucket = max(1, bucketSeconds) * 1_000
        // The smallest report id of the period: the prefix and the time part of an id made then.
        let firstID = String(Identifier.make(prefix: "rpt", at: since).prefix(14))
        var reports: [ModerationFigures.CategoryBucket] = []
        for row in try await sql.raw("""
            SELECT reason, (received_at / \(literal: bucket)) AS b, COUNT(*) AS n FROM reports
            WHERE id >= \(bind: firstID) AND received_at >= \(bind: since.milliseconds) GROUP BY reason, b ORDER BY b, reason
            """).all() {
            reports.append(.init(category: try row.decode(column: "reason", as: String.self),
                                 bucket: Timestamp(milliseconds: try row.decode(column: "b", as: Int64.self) * bucket),
                                 reports: try row.decode(column: "n", as: Int.self)))
        }
        // A provisional takedown's notice is a statement of reasons that no decision made.
        let provisional = try await sql.raw("""
            SELECT COUNT(*) AS n FROM notices WHERE kind = 'statement_of_reasons' AND decision_id IS NULL AND created_at >= \(bind: since.milliseconds)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let removals = try await sql.raw("""
            SELECT COUNT(*) AS n FROM decisions WHERE resulting_state = 'removed' AND automated = 0 AND decided_at >= \(bind: since.milliseconds)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        let queue = try await sql.raw("SELECT COUNT(*) AS n, MIN(opened_at) AS oldest FROM cases WHERE status = 'open'").first()
        let durations = try await sql.raw("""
            SELECT d.decided_at - c.opened_at AS ms FROM decisions d JOIN cases c ON c.id = d.case_id
            WHERE d.decided_at >= \(bind: since.milliseconds) AND d.automated = 0 ORDER BY d.decided_at DESC LIMIT \(literal: decisionSample)
            """).all().map { Double(try $0.decode(column: "ms", as: Int64.self)) / 1_000 }
        var granted = 0, denied = 0
        for row in try await sql.raw("""
            SELECT status, COUNT(*) AS n FROM appeals WHERE decided_at >= \(bind: since.milliseconds) GROUP BY status
            """).all() {
            switch try row.decode(column: "status", as: String.self) {
            case "granted": granted = try row.decode(column: "n", as: Int.self)
            case "denied": denied = try row.decode(column: "n", as: Int.self)
            default: break
            }
        }
        return ModerationFigures(
            reports: reports, provisionalTakedowns: provisional, confirmedRemovals: removals,
            openCases: try queue?.decode(column: "n", as: Int.self) ?? 0,
            oldestOpenCase: try queue?.decode(column: "oldest", as: Int64?.self).map(Timestamp.init(milliseconds:)),
            decisionSeconds: durations, appealsGranted: granted, appealsDenied: denied)
    }
}

extension StoreSession {
    /// The open cases each queue filter holds at `now`, in one pass over the open cases (sums cast
    /// back to BIGINT: PostgreSQL sums a BIGINT column as NUMERIC).
    public func queueCounts(at now: Timestamp) async throws -> QueueCounts {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS open, CAST(COALESCE(SUM(is_live), 0) AS BIGINT) AS live, CAST(COALESCE(SUM(overdue), 0) AS BIGINT) AS overdue, CAST(COALESCE(SUM(urgent), 0) AS BIGINT) AS urgent,
              CAST(COALESCE(SUM(coordination), 0) AS BIGINT) AS coordinated,
              CAST(COALESCE(SUM(CASE WHEN detected_by IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS automated,
              CAST(COALESCE(SUM(CASE WHEN claimed_by IS NOT NULL AND claim_expires_at > \(bind: now.milliseconds) THEN 1 ELSE 0 END), 0) AS BIGINT) AS claimed
            FROM cases WHERE status = 'open'
            """).first()
        var byCategory: [String: Int] = [:]
        for category in try await sql.raw("SELECT category, COUNT(*) AS n FROM cases WHERE status = 'open' GROUP BY category").all() {
            byCategory[try category.decode(column: "category", as: String.self)] = try category.decode(column: "n", as: Int.self)
        }
        func count(_ column: String) throws -> Int { try row?.decode(column: column, as: Int.self) ?? 0 }
        return QueueCounts(open: try count("open"), live: try count("live"), overdue: try count("overdue"), urgent: try count("urgent"),
                           claimed: try count("claimed"), coordinated: try count("coordinated"), automated: try count("automated"),
                           byCategory: byCategory, asOf: now)
    }
}
