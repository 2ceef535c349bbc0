import SQLKit
import VigilCore

/// One line of a reporter's own report list.
public struct ReporterReportListing: Sendable, Equatable {
    public var reportID: String
    public var subjectID: String
    public var reason: String
    public var channel: ReportChannel
    public var status: ReportStatus
    public var receivedAt: Timestamp
}

extension StoreSession {
    /// Reports already filed by these reporters on these subjects, as report ids by (reporter, subject).
    public func existingReports(for keys: some Collection<ReporterSubjectKey>) async throws -> [ReporterSubjectKey: String] {
        guard !keys.isEmpty else { return [:] }
        let wanted = Set(keys)
        let rows = try await sql.select().columns("id", "subject_id", "reporter_hash").from("reports")
            .where("reporter_hash", .in, Array(Set(keys.map(\.reporterHash))))
            .where("subject_id", .in, Array(Set(keys.map(\.subjectID))))
            .all()
        var result: [ReporterSubjectKey: String] = [:]
        for row in rows {
            let key = ReporterSubjectKey(
                reporterHash: try row.decode(column: "reporter_hash", as: String.self),
                subjectID: try row.decode(column: "subject_id", as: String.self))
            if wanted.contains(key) { result[key] = try row.decode(column: "id", as: String.self) }
        }
        return result
    }

    /// Inserts reports, with an `open` outcome each, in as few statements as the engine allows.
    public func insertReports(_ reports: [StoredReport]) async throws {
        // Stay well under SQLite's bound-parameter limit (32,766) per statement.
        for chunk in reports.chunked(into: 500) {
            var insert = sql.insert(into: "reports").columns(
                "id", "subject_id", "reporter_hash", "reporter_seal", "reason", "note", "channel", "notice_explanation",
                "notice_location", "notice_legal_ground", "notice_contact_seal", "weight", "counted", "policy_version",
                "received_at", "standing")
            var outcomes = sql.insert(into: "report_outcomes").columns("report_id", "status")
            for r in chunk {
                insert = insert.values(
                    r.id, r.subjectID, r.reporterHash, r.reporterSeal, r.reason, r.note, r.channel.rawValue,
                    r.noticeExplanation, r.noticeLocation, r.noticeLegalGround, r.noticeContactSeal, r.weight,
                    r.counted ? 1 : 0, r.policyVersion, r.receivedAt.milliseconds, r.standing.rawValue)
                outcomes = outcomes.values(r.id, ReportStatus.open.rawValue)
            }
            try await insert.run()
            try await outcomes.run()
        }
    }

    /// A reporter's own reports, newest first, after the cursor (a report id) if given.
    public func reports(ofReporter reporterHash: String, before cursor: String?, limit: Int) async throws -> [ReporterReportListing] {
        // The cursor is the last id of the previous page.
        var query: SQLQueryString = """
            SELECT r.id, r.subject_id, r.reason, r.channel, r.received_at, o.status
            FROM reports r JOIN report_outcomes o ON o.report_id = r.id
            WHERE r.reporter_hash = \(bind: reporterHash)
            """
        if let cursor { query.appendInterpolation(" AND r.id < \(bind: cursor)" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY r.id DESC LIMIT \(literal: limit)" as SQLQueryString)
        let rows = try await sql.raw(query).all()
        return try rows.map { row in
            let channel = try row.decode(column: "channel", as: String.self)
            let status = try row.decode(column: "status", as: String.self)
            guard let channel = ReportChannel(rawValue: channel), let status = ReportStatus(rawValue: status) else {
                throw StoreCorruption(detail: "report row has channel '\(channel)' and status '\(status)'")
            }
            return ReporterReportListing(
                reportID: try row.decode(column: "id", as: String.self),
                subjectID: try row.decode(column: "subject_id", as: String.self),
                reason: try row.decode(column: "reason", as: String.self),
                channel: channel, status: status,
                receivedAt: Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)))
        }
    }

    /// How many reports are stored (for checks and tests).
    public func reportCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM reports").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
