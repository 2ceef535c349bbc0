import VigilCore

/// A takedown pending review caused by reports: the event the platform applies and the creator's
/// statement of reasons, made one way wherever reports take a subject down.
struct ProvisionalTakedown {
    let event: AuditEventDraft
    let notice: NoticeRecord

    init(subject: Subject, category: PolicyCategory, policy: Policy, at time: Timestamp) {
        event = AuditEventDraft(
            type: .subjectStateChanged, subjectID: subject.id,
            payload: SubjectStateChanged(from: subject.state, to: .pendingReview, ground: category.id, cause: .reportThreshold, policyVersion: policy.version),
            occurredAt: time)
        var down = subject
        down.state = .pendingReview
        down.stateGround = category.id
        // Dated to the hour, notice id included: to the millisecond it would date the report.
        notice = NoticeComposer.statement(
            .provisionalTakedown(subject: down, category: category, policyVersion: policy.version, at: time.hourFloor),
            to: subject.creatorID, subjectID: subject.id, decisionID: nil, at: time.hourFloor)
    }
}
