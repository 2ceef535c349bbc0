import Foundation
import VigilCore
import VigilStore

/// The audit log as the console's audit page reads it: newest first, filtered by type, subject or
/// moderator, and the chain's verification. Payloads never carry a reporter id (DESIGN §3).
public struct AuditLogBrowsing: Sendable {
    let store: Store

    public struct Filter: Sendable {
        public var type: AuditEventType?
        public var subjectID: String?
        public var moderatorName: String?
        public var beforeSeq: Int64?
    }

    public func page(_ filter: Filter, limit: Int) async throws -> [AuditEvent] {
        if let subjectID = filter.subjectID { try Validate.identifier(subjectID, field: "subject") }
        return try await store.read { session in
            var moderatorID: String?
            if let name = filter.moderatorName {
                guard let record = try await session.moderator(named: name) else { return [] }
                moderatorID = record.id
            }
            return try await session.auditPage(type: filter.type?.rawValue, subjectID: filter.subjectID, moderatorID: moderatorID,
                                               beforeSeq: filter.beforeSeq, limit: limit)
        }
    }

    public func verify() async throws -> AuditVerification {
        try await store.verifyAuditLog()
    }
}
