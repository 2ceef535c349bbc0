import Foundation
import VigilCore
import VigilStore

/// Carries out takedowns that waited out their settle period (``IndependenceRules/settleMinutes``).
///
/// When unvetted reports first corroborate a takedown, intake opens the case and lets the takedown
/// wait: a brigade's first reports look like organic ones, and only as the rest arrive does the
/// burst, the volume beyond reach or the co-reporting show. When the wait is over, the subject's
/// reports are assessed again with everything that arrived meanwhile; the subject goes down only if
/// independent voices still carry a category past its threshold. Otherwise the takedown is withheld
/// and the case stays in the queue, as every case does.
///
/// Each due case is settled once, whichever node gets to it: the node that clears the due time
/// acts on it, in the same transaction.
struct TakedownSettling: Sendable {
    let store: Store
    let policy: Policy
    let rules: ModerationRules

    /// Due cases settled per transaction; the rest wait for the next pass.
    static let batchSize = 200

    /// Settles every takedown due by `time`. Returns the subjects taken down.
    @discardableResult
    func settleDue(at time: Timestamp) async throws -> [String] {
        var takenDown: [String] = []
        while true {
            let (settled, down) = try await settleBatch(at: time)
            takenDown += down
            if settled < Self.batchSize { return takenDown }
        }
    }

    private func settleBatch(at time: Timestamp) async throws -> (settled: Int, takenDown: [String]) {
        let policy = self.policy
        let independence = rules.independence
        return try await store.write { tx in
            let due = try await tx.casesWithTakedownDue(at: time, limit: Self.batchSize)
            guard !due.isEmpty else { return (0, []) }
            let subjects = try await tx.subjects(ids: Set(due.map(\.subjectID)))
            let voices = try await tx.openVoices(
                subjectIDs: Set(due.map(\.subjectID)), spentSince: time.adding(seconds: -independence.burstWindowMinutes * 60),
                limitPerSubject: IntakeWorkflow.voicesPerSubject)
            let reporters = Set(voices.values.joined().map(\.reporterHash))
            let ties = try await tx.coReportTies(among: reporters, rules: independence, at: time)
            let shields = try await tx.activeShields(creatorIDs: Set(subjects.values.map(\.creatorID)), at: time)
            var events: [AuditEventDraft] = []
            var notices: [NoticeRecord] = []
            var takenDown: [String] = []
            for record in due {
                guard try await tx.clearTakedownDue(caseID: record.id), let subject = subjects[record.subjectID] else { continue }
                // Taken down meanwhile by a vetted voice, or decided: nothing is left to settle.
                guard subject.state == .visible || subject.state == .suppressed else { continue }
                let subjectVoices = voices[subject.id] ?? []
                let assessment = Independence.assess(voices: subjectVoices, ties: ties, reach: subject.reach, rules: independence)
                let factor = shields[subject.creatorID].map { $0.isActive(at: time) ? independence.shieldThresholdFactor : 1 } ?? 1
                let triageSubject = TriageSubject(state: subject.state, kind: subject.kind, hasOpenCase: true, reviewedReasons: subject.reviewedReasons)
                // The most severe category that still stands, the case's own first among equals.
                let standing = Set(subjectVoices.map(\.category)).compactMap(policy.category).filter { category in
                    Triage.settles(subject: triageSubject, category: category, corroboration: Corroboration(assessment, category: category.id, detected: subject.detectedCategories.contains(category.id)),
                                   thresholdFactor: factor)
                }.sorted { ($0.severity.rank, $0.id == record.category ? 1 : 0, $0.id) > ($1.severity.rank, $1.id == record.category ? 1 : 0, $1.id) }
                if let category = standing.first {
                    let takedown = ProvisionalTakedown(subject: subject, category: category, policy: policy, at: time)
                    try await tx.setSubjectState(id: subject.id, state: .pendingReview, ground: category.id, at: time)
                    events.append(takedown.event)
                    notices.append(takedown.notice)
                    takenDown.append(subject.id)
                } else {
                    let category = record.category
                    events.append(AuditEventDraft(
                        type: .takedownWithheld, subjectID: subject.id,
                        payload: TakedownSettlement(
                            caseId: record.id, category: category, dueAt: record.takedownDueAt?.milliseconds ?? time.milliseconds,
                            independentScore: assessment.effectiveScore(category: category), independentVoices: assessment.independentVoices(category: category),
                            signals: Set(assessment.groups.filter(\.isSuspect).flatMap(\.signals)).sorted()),
                        occurredAt: time))
                }
            }
            try await tx.insertNotices(notices)
            try await tx.appendEvents(events)
            return (due.count, takenDown)
        }
    }
}
