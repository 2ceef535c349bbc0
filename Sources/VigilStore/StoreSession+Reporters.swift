import SQLKit
import VigilCore

extension StoreSession {
    public func reporters(hashes: some Collection<String>) async throws -> [String: ReporterRecord] {
        guard !hashes.isEmpty else { return [:] }
        let rows = try await sql.select()
            .columns("reporter_hash", "upheld", "dismissed", "record_as_of", "reports_filed", "pending", "standing", "standing_until")
            .from("reporters").where("reporter_hash", .in, Array(hashes)).all()
        var result: [String: ReporterRecord] = [:]
        for row in rows {
            let hash = try row.decode(column: "reporter_hash", as: String.self)
            result[hash] = ReporterRecord(
                reporterHash: hash,
                record: TrackRecord(
                    upheld: try row.decode(column: "upheld", as: Double.self),
                    dismissed: try row.decode(column: "dismissed", as: Double.self),
                    asOf: Timestamp(milliseconds: try row.decode(column: "record_as_of", as: Int64.self))),
                reportsFiled: try row.decode(column: "reports_filed", as: Int.self),
                pending: try row.decode(column: "pending", as: Int.self),
                standing: ReporterStanding(
                    standing: MisuseStanding(rawValue: try row.decode(column: "standing", as: String.self)) ?? .good,
                    until: try row.decode(column: "standing_until", as: Int64?.self).map(Timestamp.init(milliseconds:))))
        }
        return result
    }

    /// Adds filed and pending reports to reporters' counts, creating newcomers' rows.
    /// `filed` and `pending` are per-reporter increments; one row per reporter.
    public func recordFiledReports(_ increments: [String: (filed: Int, pending: Int)], at time: Timestamp) async throws {
        guard !increments.isEmpty else { return }
        for chunk in increments.sorted(by: { $0.key < $1.key }).chunked(into: 1_000) {
            var insert = sql.insert(into: "reporters")
                .columns("reporter_hash", "upheld", "dismissed", "record_as_of", "reports_filed", "pending", "first_seen_at")
            for (hash, increment) in chunk {
                insert = insert.values(hash, 0.0, 0.0, time.milliseconds, increment.filed, increment.pending, time.milliseconds)
            }
            try await insert.onConflict(with: ["reporter_hash"]) { update in
                update
                    .set("reports_filed", to: SQLRaw("reporters.reports_filed + excluded.reports_filed"))
                    .set("pending", to: SQLRaw("reporters.pending + excluded.pending"))
            }.run()
        }
    }

    /// Writes a reporter's updated record after a decision: the new decayed counts, one fewer
    /// pending report per decided report, and the misuse standing.
    public func updateReporter(_ reporter: ReporterRecord, decidedPending: Int) async throws {
        try await sql.update("reporters")
            .set("upheld", to: reporter.record.upheld)
            .set("dismissed", to: reporter.record.dismissed)
            .set("record_as_of", to: reporter.record.asOf.milliseconds)
            .set("pending", to: SQLRaw("pending - \(decidedPending)"))
            .set("standing", to: reporter.standing.standing.rawValue)
            .set("standing_until", to: reporter.standing.until?.milliseconds)
            .where("reporter_hash", .equal, reporter.reporterHash)
            .run()
    }

    public func setReporterStanding(hash: String, _ standing: ReporterStanding) async throws {
        try await sql.update("reporters")
            .set("standing", to: standing.standing.rawValue).set("standing_until", to: standing.until?.milliseconds)
            .where("reporter_hash", .equal, hash).run()
    }

    /// Upheld and dismissed reports decided since `since`, per reporter.
    public func decidedCounts(reporterHashes: some Collection<String>, since: Timestamp) async throws -> [String: DecidedCounts] {
        guard !reporterHashes.isEmpty else { return [:] }
        var query: SQLQueryString = """
            SELECT r.reporter_hash, o.status, COUNT(*) AS n FROM reports r JOIN report_outcomes o ON o.report_id = r.id
            WHERE o.decided_at >= \(bind: since.milliseconds) AND r.reporter_hash IN (
            """
        query.appendInterpolation(binds: Array(reporterHashes))
        query.appendLiteral(") GROUP BY r.reporter_hash, o.status")
        var result: [String: DecidedCounts] = [:]
        for row in try await sql.raw(query).all() {
            let hash = try row.decode(column: "reporter_hash", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            var counts = result[hash] ?? DecidedCounts(upheld: 0, dismissed: 0)
            switch try row.decode(column: "status", as: String.self) {
            case ReportStatus.actionTaken.rawValue: counts.upheld += n
            case ReportStatus.noViolation.rawValue: counts.dismissed += n
            default: break
            }
            result[hash] = counts
        }
        return result
    }

    /// Reporters whose suspension ended by `time` but is still recorded.
    public func lapsedSuspensions(at time: Timestamp, limit: Int) async throws -> [String] {
        try await sql.raw("""
            SELECT reporter_hash FROM reporters WHERE standing = 'suspended' AND standing_until <= \(bind: time.milliseconds)
            ORDER BY standing_until LIMIT \(literal: limit)
            """).all().map { try $0.decode(column: "reporter_hash", as: String.self) }
    }
}
