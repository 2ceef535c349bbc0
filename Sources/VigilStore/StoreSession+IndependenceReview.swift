import SQLKit
import VigilCore

extension StoreSession {
    /// Where the independence review has read the audit log to: the last event it took in.
    /// `locking` (in a write transaction) locks the row, so nodes review in turn and each report once.
    public func independenceReviewCursor(locking: Bool) async throws -> Int64 {
        guard let row = try await sql.raw(SQLQueryString("SELECT after_seq FROM independence_review WHERE id = 1" + (locking ? engine.lockRows : ""))).first() else {
            throw StoreCorruption(detail: "the independence review row is missing")
        }
        return try row.decode(column: "after_seq", as: Int64.self)
    }

    public func setIndependenceReviewCursor(_ seq: Int64) async throws {
        try await sql.update("independence_review").set("after_seq", to: seq).where("id", .equal, 1).run()
    }

    /// The subjects of the reports received after event `seq`, in the order of their first new
    /// report, read over at most `limit` events; how many events were read, and the last one (nil when none).
    public func reportedSubjects(afterEvent seq: Int64, limit: Int) async throws -> (subjectIDs: [String], eventsRead: Int, lastEvent: Int64?) {
        let rows = try await sql.raw("""
            SELECT seq, type, subject_id FROM audit_events WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(literal: limit)
            """).all()
        var seen = Set<String>()
        var subjectIDs: [String] = []
        var last: Int64?
        for row in rows {
            last = try row.decode(column: "seq", as: Int64.self)
            guard try row.decode(column: "type", as: String.self) == AuditEventType.reportReceived.rawValue,
                  let subjectID = try row.decode(column: "subject_id", as: String?.self), seen.insert(subjectID).inserted else { continue }
            subjectIDs.append(subjectID)
        }
        return (subjectIDs, rows.count, last)
    }

    /// Whether events wait for the independence review (a cheap read, so an idle node takes no write lock).
    public func eventsAwaitingIndependenceReview() async throws -> Bool {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_events WHERE seq > (SELECT after_seq FROM independence_review WHERE id = 1) LIMIT 1) t
            """).first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) > 0
    }
}
