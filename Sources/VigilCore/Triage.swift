/// What counting one report does to its subject.
public struct TriageOutcome: Sendable, Equatable {
    /// Whether the report's weight was added to the subject's score.
    public var counted: Bool
    /// The subject's score in the report's category after this report.
    public var categoryScore: Double
    /// The state the subject moves to, if it changes.
    public var newState: VisibilityState?
    /// Whether a review case must be opened for the subject.
    public var opensCase: Bool
    /// Whether the case it opens goes behind the others (a notice from a suspended reporter).
    public var lowersPriority: Bool = false
}

/// The facts about a subject that triage weighs a report against.
public struct TriageSubject: Sendable, Equatable {
    public var state: VisibilityState
    public var kind: SubjectKind
    public var hasOpenCase: Bool
    /// Reasons a moderator already ruled on in the subject's last decision (empty if never decided).
    public var reviewedReasons: Set<String>

    public init(state: VisibilityState, kind: SubjectKind, hasOpenCase: Bool, reviewedReasons: Set<String> = []) {
        self.state = state
        self.kind = kind
        self.hasOpenCase = hasOpenCase
        self.reviewedReasons = reviewedReasons
    }
}

/// The triage rule of DESIGN.md §2: weighted reports accumulate per policy category; crossing the
/// category's threshold for the subject's kind takes the subject down pending review and opens a case.
///
/// After a decision, the subject's scores start again from zero (decided reports are spent). A new
/// case then needs new credible weight: the full threshold again for a reason already ruled on,
/// or, for a reason the last decision did not review, one report of at least
/// `newReasonMinWeight` (it opens a case without taking the subject down).
public enum Triage {
    public static func assess(
        subject: TriageSubject, category: PolicyCategory, currentScore: Double, weight: Double,
        channel: ReportChannel, reporterSuspended: Bool = false, newReasonMinWeight: Double = 1
    ) -> TriageOutcome {
        // Removed content is already out of reach; the report is recorded but weighs nothing.
        guard subject.state != .removed else {
            return TriageOutcome(counted: false, categoryScore: currentScore, newState: nil, opensCase: false)
        }
        // A reporter suspended for misuse is recorded, not counted (DSA Art. 23) — but an
        // illegal-content notice must still be looked at (Art. 16), after the others.
        if reporterSuspended {
            let queue = channel == .illegalContentNotice && !subject.hasOpenCase
            return TriageOutcome(counted: false, categoryScore: currentScore, newState: nil, opensCase: queue, lowersPriority: queue)
        }
        let counted = weight > 0
        let score = currentScore + (counted ? weight : 0)
        var newState: VisibilityState?
        if subject.state != .pendingReview, counted, score >= category.threshold(for: subject.kind) {
            newState = .pendingReview
        }
        let newAllegation = !subject.reviewedReasons.isEmpty && !subject.reviewedReasons.contains(category.id) && weight >= newReasonMinWeight
        // An illegal-content notice must be looked at whatever its weight (DSA Art. 16): it always
        // reaches the queue, though it takes nothing down on its own below the threshold.
        let needsCase = newState != nil || subject.state == .pendingReview || channel == .illegalContentNotice || newAllegation
        return TriageOutcome(counted: counted, categoryScore: score, newState: newState, opensCase: needsCase && !subject.hasOpenCase)
    }

}
