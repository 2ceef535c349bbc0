import Foundation
import VigilCore
import VigilStore

/// The one place a reporter's id can be revealed (DESIGN §1, §3): a privacy officer, for a legal
/// request, names a report, the reason and the legal reference. The id is returned to that
/// officer once; the audit event records who, which report and why, never the id.
public final class PrivacyWorkflow: Sendable {
    private let store: Store
    private let keyring: ReporterKeyring
    private let clock: VigilClock

    static let reasonMaxCharacters = 2_000
    static let referenceMaxCharacters = 500

    public init(store: Store, keyring: ReporterKeyring, clock: VigilClock = .system) {
        self.store = store
        self.keyring = keyring
        self.clock = clock
    }

    /// Unseals the reporter of `reportID`. Only a privacy officer may (not even an admin): the
    /// role is checked here, whatever the caller checked.
    public func unseal(reportID: String, reason: String, legalReference: String, by officer: AuthenticatedModerator) async throws -> String {
        guard officer.role == .privacyOfficer else {
            throw VigilError.forbiddenRole(role: officer.role.rawValue, allowed: [ModeratorRole.privacyOfficer.rawValue])
        }
        try Validate.identifier(reportID, field: "report_id")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let reference = legalReference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw VigilError.invalidField(field: "reason", detail: "must say why the identity is needed") }
        guard !reference.isEmpty else { throw VigilError.invalidField(field: "legal_reference", detail: "must name the legal request (order, case number)") }
        try Validate.text(reason, field: "reason", max: Self.reasonMaxCharacters)
        try Validate.text(reference, field: "legal_reference", max: Self.referenceMaxCharacters)
        let now = clock.now()
        let keyring = self.keyring
        // The event commits before the id is shown: no unseal goes unrecorded.
        return try await store.write { tx in
            guard let sealed = try await tx.reporterSeal(ofReport: reportID) else { throw VigilError.notFound(resource: "report", id: reportID) }
            let reporterID = try keyring.unseal(sealed.seal)
            try await tx.appendEvents([AuditEventDraft(
                type: .reporterUnsealed, subjectID: sealed.subjectID,
                payload: ReporterUnsealed(reportId: reportID, moderatorId: officer.id, reason: reason, legalReference: reference), occurredAt: now)])
            return reporterID
        }
    }

    /// Every unseal, newest first: who, which report, why and when.
    public func unseals(limit: Int) async throws -> [(event: ReporterUnsealed, at: Timestamp, officer: String)] {
        try await store.read { session in
            let events = try await session.auditPage(type: AuditEventType.reporterUnsealed.rawValue, subjectID: nil, moderatorID: nil, beforeSeq: nil, limit: limit)
            let decoded = try events.map { (try EventCoding.decode(ReporterUnsealed.self, from: $0.payload), $0.occurredAt) }
            let names = try await session.moderatorNames(ids: Set(decoded.map(\.0.moderatorId)))
            return decoded.map { ($0.0, $0.1, names[$0.0.moderatorId] ?? $0.0.moderatorId) }
        }
    }
}
