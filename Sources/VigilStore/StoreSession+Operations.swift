import SQLKit
import VigilCore

/// Sizes of the work waiting for people, for monitoring.
public struct OperationalCounts: Sendable, Equatable {
    public var openCases: Int
    public var overdueCases: Int
    public var unclaimedCases: Int
    public var openAppeals: Int
    public var auditEvents: Int64
}

extension StoreSession {
    /// The queue sizes and the audit log's length, in one statement. `now` decides which claims
    /// still hold.
    public func operationalCounts(now: Timestamp) async throws -> OperationalCounts {
        let row = try await sql.raw("""
            SELECT
              (SELECT COUNT(*) FROM cases WHERE status = 'open') AS open_cases,
              (SELECT COUNT(*) FROM cases WHERE status = 'open' AND overdue = 1) AS overdue_cases,
              (SELECT COUNT(*) FROM cases WHERE status = 'open'
                 AND (claimed_by IS NULL OR claim_expires_at <= \(bind: now.milliseconds))) AS unclaimed_cases,
              (SELECT COUNT(*) FROM appeals WHERE status = 'open') AS open_appeals,
              (SELECT seq FROM audit_head WHERE id = 1) AS audit_events
            """).first()
        guard let row else { throw StoreCorruption(detail: "the operational counts query returned no row") }
        return OperationalCounts(
            openCases: try row.decode(column: "open_cases", as: Int.self),
            overdueCases: try row.decode(column: "overdue_cases", as: Int.self),
            unclaimedCases: try row.decode(column: "unclaimed_cases", as: Int.self),
            openAppeals: try row.decode(column: "open_appeals", as: Int.self),
            auditEvents: try row.decode(column: "audit_events", as: Int64?.self) ?? 0)
    }
}
