import SQLKit
import VigilCore

/// Sizes of the work waiting for people, for monitoring.
public struct OperationalCounts: Sendable, Equatable {
    public var openCases: Int
    public var overdueCases: Int
    public var unclaimedCases: Int
    public var openAppeals: Int
    public var auditEvents: Int64
    /// Webhook deliveries waiting for an attempt (due or not).
    public var webhookPending: Int = 0
    /// Webhook endpoints that are disabled (by the platform, or by Vigil after 410 or days of failures).
    public var webhookEndpointsDisabled: Int = 0
}

extension StoreSession {
    /// The queue sizes, the audit log's length and the webhook backlog, in one statement. `now` decides which claims
    /// still hold.
    public func operationalCounts(now: Timestamp) async throws -> OperationalCounts {
        let row = try await sql.raw("""
            SELECT
              (SELECT COUNT(*) FROM cases WHERE status = 'open') AS open_cases,
              (SELECT COUNT(*) FROM cases WHERE status = 'open' AND overdue = 1) AS overdue_cases,
              (SELECT COUNT(*) FROM cases WHERE status = 'open'
                 AND (claimed_by IS NULL OR claim_expires_at <= \(bind: now.milliseconds))) AS unclaimed_cases,
              (SELECT COUNT(*) FROM appeals WHERE status = 'open') AS open_appeals,
              (SELECT seq FROM audit_head WHERE id = 1) AS audit_events,
              (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending') AS webhook_pending,
              (SELECT COUNT(*) FROM webhook_endpoints WHERE deleted_at IS NULL AND enabled = 0) AS webhook_disabled
            """).first()
        guard let row else { throw StoreCorruption(detail: "the operational counts query returned no row") }
        return OperationalCounts(
            openCases: try row.decode(column: "open_cases", as: Int.self),
            overdueCases: try row.decode(column: "overdue_cases", as: Int.self),
            unclaimedCases: try row.decode(column: "unclaimed_cases", as: Int.self),
            openAppeals: try row.decode(column: "open_appeals", as: Int.self),
            auditEvents: try row.decode(column: "audit_events", as: Int64?.self) ?? 0,
            webhookPending: try row.decode(column: "webhook_pending", as: Int.self),
            webhookEndpointsDisabled: try row.decode(column: "webhook_disabled", as: Int.self))
    }
}
