import SQLKit
import VigilCore

extension StoreSession {
    /// The counted, undecided reports of each subject as voices, with the decided ones received
    /// since `spentSince` marked spent (they still count towards a burst), newest `limitPerSubject`
    /// of each, returned oldest first. A subject with more reports than that is far past any
    /// allowance its reach gives, so the oldest add nothing to the assessment.
    public func openVoices(subjectIDs: some Collection<String>, spentSince: Timestamp, limitPerSubject: Int) async throws -> [String: [ReportVoice]] {
        guard !subjectIDs.isEmpty else { return [:] }
        var query: SQLQueryString = """
            SELECT * FROM (
              SELECT r.id, r.subject_id, r.reporter_hash, r.reason, r.weight, r.standing, r.received_at, o.status,
                     COALESCE(p.reports_filed, 1) AS filed,
                     ROW_NUMBER() OVER (PARTITION BY r.subject_id ORDER BY r.id DESC) AS rn
              FROM reports r JOIN report_outcomes o ON o.report_id = r.id
              LEFT JOIN reporters p ON p.reporter_hash = r.reporter_hash
              WHERE (o.status = 'open' OR r.received_at >= \(bind: spentSince.milliseconds)) AND r.counted <> 0 AND r.subject_id IN (
            """
        query.appendInterpolation(binds: Array(subjectIDs))
        query.appendInterpolation(")) t WHERE t.rn <= \(bind: limitPerSubject) ORDER BY t.id" as SQLQueryString)
        var result: [String: [ReportVoice]] = [:]
        for row in try await sql.raw(query).all() {
            let standing = try row.decode(column: "standing", as: String?.self)
            var voice = ReportVoice(
                reporterHash: try row.decode(column: "reporter_hash", as: String.self),
                category: try row.decode(column: "reason", as: String.self),
                weight: try row.decode(column: "weight", as: Double.self),
                // Reports from before standings were recorded count as ordinary voices.
                standing: standing.flatMap(VoiceStanding.init(rawValue:)) ?? .ordinary,
                receivedAt: Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)),
                reporterReportsFiled: try row.decode(column: "filed", as: Int.self))
            voice.spent = try row.decode(column: "status", as: String.self) != "open"
            result[try row.decode(column: "subject_id", as: String.self), default: []].append(voice)
        }
        return result
    }

    /// Reports per reporter that the co-reporting ties are read from: a reporter with more in the
    /// memory window is judged on their latest.
    public static let coReportHistoryPerReporter = 500

    /// The co-reporting ties among `reporters`: pairs who reported the same subject within
    /// `rules.coReportWindowHours` of each other since the memory window began, each pairing a
    /// report with at most `rules.maxCoReportPeers` of the subject's earlier ones among them, as
    /// intake pairs a new report. A co-report is open, dismissed or upheld as the later report was
    /// decided (a granted appeal corrects report outcomes, and so the ties). Read from the reports
    /// themselves: intake writes nothing for them.
    public func coReportTies(among reporters: Set<String>, rules: IndependenceRules, at now: Timestamp) async throws -> CoReportGraph {
        var graph = CoReportGraph()
        guard reporters.count > 1 else { return graph }
        let since = now.adding(seconds: -rules.coReportMemoryDays * 86_400)
        var bySubject: [String: [(reporter: String, at: Int64, status: String)]] = [:]
        // Bound each engine's parameters per statement.
        for chunk in reporters.sorted().chunked(into: 4_000) {
            var query: SQLQueryString = """
                SELECT * FROM (
                  SELECT r.reporter_hash, r.subject_id, r.received_at, o.status,
                         ROW_NUMBER() OVER (PARTITION BY r.reporter_hash ORDER BY r.id DESC) AS rn
                  FROM reports r JOIN report_outcomes o ON o.report_id = r.id
                  WHERE r.counted <> 0 AND r.received_at >= \(bind: since.milliseconds) AND r.reporter_hash IN (
                """
            query.appendInterpolation(binds: Array(chunk))
            query.appendInterpolation(")) t WHERE t.rn <= \(bind: Self.coReportHistoryPerReporter)" as SQLQueryString)
            for row in try await sql.raw(query).all() {
                bySubject[try row.decode(column: "subject_id", as: String.self), default: []].append((
                    try row.decode(column: "reporter_hash", as: String.self), try row.decode(column: "received_at", as: Int64.self),
                    try row.decode(column: "status", as: String.self)))
            }
        }
        let window = Int64(rules.coReportWindowHours * 3_600_000)
        for reports in bySubject.values where reports.count > 1 {
            let ordered = reports.sorted { ($0.at, $0.reporter) < ($1.at, $1.reporter) }
            for (index, later) in ordered.enumerated() {
                for earlier in ordered[max(0, index - rules.maxCoReportPeers)..<index] where later.at - earlier.at <= window {
                    let pair = ReporterPair(earlier.reporter, later.reporter)
                    var tie = graph.tie(pair) ?? CoReportTie()
                    switch later.status {
                    case ReportStatus.noViolation.rawValue: tie.dismissed += 1
                    case ReportStatus.actionTaken.rawValue: tie.upheld += 1
                    default: tie.open += 1
                    }
                    graph.set(pair, tie)
                }
            }
        }
        return graph
    }

    /// Shields in force at `time`, by creator (the one lasting longest, if several).
    public func activeShields(creatorIDs: some Collection<String>, at time: Timestamp) async throws -> [String: CreatorShield] {
        guard !creatorIDs.isEmpty else { return [:] }
        var query: SQLQueryString = "SELECT * FROM creator_shields WHERE until > \(bind: time.milliseconds) AND since <= \(bind: time.milliseconds) AND creator_id IN ("
        query.appendInterpolation(binds: Array(creatorIDs))
        query.appendLiteral(") ORDER BY until")
        var result: [String: CreatorShield] = [:]
        for row in try await sql.raw(query).all() {
            let shield = try Self.decodeShield(row)
            result[shield.creatorID] = shield
        }
        return result
    }

    public func insertShields(_ shields: [CreatorShield]) async throws {
        guard !shields.isEmpty else { return }
        var insert = sql.insert(into: "creator_shields").columns("id", "creator_id", "subject_id", "since", "until", "signals", "group_size")
        for s in shields {
            insert = insert.values(s.id, s.creatorID, s.subjectID, s.since.milliseconds, s.until.milliseconds,
                                   s.signals.map(\.rawValue).sorted().joined(separator: ","), s.groupSize)
        }
        try await insert.run()
    }

    /// The number and summed reach of each creator's subjects (as a ``CreatorPressure`` with no reports).
    public func creatorReach(creatorIDs: some Collection<String>) async throws -> [String: CreatorPressure] {
        guard !creatorIDs.isEmpty else { return [:] }
        let creators = Array(creatorIDs)
        var result: [String: CreatorPressure] = [:]
        // Reach in floating point: a sum of many bounded counts must not trap or overflow the engine.
        var reach: SQLQueryString = """
            SELECT creator_id, COUNT(*) AS n, SUM(CAST(views AS DOUBLE PRECISION)) AS views,
                   SUM(CAST(live_viewers AS DOUBLE PRECISION)) AS live
            FROM subjects WHERE creator_id IN (
            """
        reach.appendInterpolation(binds: creators)
        reach.appendLiteral(") GROUP BY creator_id")
        for row in try await sql.raw(reach).all() {
            result[try row.decode(column: "creator_id", as: String.self)] = CreatorPressure(
                reports: 0, subjects: try row.decode(column: "n", as: Int.self),
                views: try row.decode(column: "views", as: Double?.self) ?? 0, liveViewers: try row.decode(column: "live", as: Double?.self) ?? 0)
        }
        return result
    }

    /// Counted unvetted reports against each creator's content since `since` (by whole hours).
    public func creatorReportCounts(creatorIDs: some Collection<String>, since: Timestamp) async throws -> [String: Int] {
        guard !creatorIDs.isEmpty else { return [:] }
        var counts: SQLQueryString = "SELECT creator_id, CAST(SUM(reports) AS BIGINT) AS n FROM creator_report_hours WHERE hour >= \(bind: since.hourFloor.milliseconds) AND creator_id IN ("
        counts.appendInterpolation(binds: Array(creatorIDs))
        counts.appendLiteral(") GROUP BY creator_id")
        var result: [String: Int] = [:]
        for row in try await sql.raw(counts).all() {
            result[try row.decode(column: "creator_id", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return result
    }

    /// Adds counted unvetted reports to each creator's hour.
    public func addCreatorReports(_ counts: [String: Int], hour: Timestamp) async throws {
        guard !counts.isEmpty else { return }
        for chunk in counts.sorted(by: { $0.key < $1.key }).chunked(into: 500) {
            var insert: SQLQueryString = "INSERT INTO creator_report_hours (creator_id, hour, reports) VALUES "
            for (index, entry) in chunk.enumerated() {
                if index > 0 { insert.appendLiteral(", ") }
                insert.appendInterpolation("(\(bind: entry.key), \(bind: hour.hourFloor.milliseconds), \(bind: entry.value))" as SQLQueryString)
            }
            insert.appendLiteral(" ON CONFLICT (creator_id, hour) DO UPDATE SET reports = creator_report_hours.reports + excluded.reports")
            try await sql.raw(insert).run()
        }
    }

    /// The shields a creator has had, newest first (for the moderator's case view).
    public func shields(ofCreator creatorID: String, limit: Int) async throws -> [CreatorShield] {
        try await sql.raw("SELECT * FROM creator_shields WHERE creator_id = \(bind: creatorID) ORDER BY since DESC LIMIT \(literal: limit)")
            .all().map(Self.decodeShield)
    }

    static func decodeShield(_ row: any SQLRow) throws -> CreatorShield {
        let signals = try row.decode(column: "signals", as: String.self).split(separator: ",").compactMap { CoordinationSignal(rawValue: String($0)) }
        return CreatorShield(
            id: try row.decode(column: "id", as: String.self), creatorID: try row.decode(column: "creator_id", as: String.self),
            subjectID: try row.decode(column: "subject_id", as: String.self),
            since: Timestamp(milliseconds: try row.decode(column: "since", as: Int64.self)),
            until: Timestamp(milliseconds: try row.decode(column: "until", as: Int64.self)),
            signals: Set(signals), groupSize: try row.decode(column: "group_size", as: Int.self))
    }
}
