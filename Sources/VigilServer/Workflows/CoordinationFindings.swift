import VigilCore

/// What an independence assessment sets in motion for moderators, the same whether intake or the
/// independence review (``IndependenceReview``) found it: the case flagged as coordinated
/// reporting suspected, and the creator's shield.
enum CoordinationFindings {
    /// The event that flags `caseID`, with the suspect groups' signals and the largest one's size.
    static func flagEvent(caseID: String, subjectID: String, assessment: IndependenceAssessment, at time: Timestamp) -> AuditEventDraft {
        let signals = Set(assessment.groups.filter(\.isSuspect).flatMap(\.signals))
        return AuditEventDraft(
            type: .coordinationSuspected, subjectID: subjectID,
            payload: CoordinationSuspected(caseId: caseID, signals: signals.sorted(), largestGroup: assessment.largestSuspectGroup),
            occurredAt: time)
    }

    /// The signals and size of the coordinated groups large enough to shield the creator: a suspect
    /// group of ``IndependenceRules/shieldMinGroup``, or a co-reporting one of
    /// ``IndependenceRules/shieldMinCoReportingGroup``. Empty signals when there is none.
    static func shieldingGroups(_ assessment: IndependenceAssessment, rules: IndependenceRules) -> (signals: Set<CoordinationSignal>, size: Int) {
        let piling = assessment.groups.filter { group in
            group.isSuspect && (group.members.count >= rules.shieldMinGroup
                || (group.signals.contains(.coReporting) && group.members.count >= rules.shieldMinCoReportingGroup))
        }
        return (Set(piling.flatMap(\.signals)), piling.map(\.members.count).max() ?? 0)
    }

    /// A shield for `creatorID`, raised over `subjectID`, and its event.
    static func shield(
        creatorID: String, subjectID: String, signals: Set<CoordinationSignal>, size: Int, rules: IndependenceRules, at time: Timestamp
    ) -> (CreatorShield, AuditEventDraft) {
        let shield = CreatorShield(
            id: Identifier.make(prefix: "shd", at: time), creatorID: creatorID, subjectID: subjectID, since: time,
            until: time.adding(seconds: rules.shieldDays * 86_400), signals: signals, groupSize: size)
        let event = AuditEventDraft(
            type: .creatorShielded, subjectID: subjectID,
            payload: CreatorShielded(
                shieldId: shield.id, creatorId: creatorID, subjectId: subjectID, signals: signals.sorted(), groupSize: size,
                until: shield.until.milliseconds, thresholdFactor: rules.shieldThresholdFactor),
            occurredAt: time)
        return (shield, event)
    }
}
