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
}

/// The triage rule of DESIGN.md §2: weighted reports accumulate per policy category; crossing the
/// category's threshold for the subject's kind takes the subject down pending review and opens a case.
public enum Triage {
    /// - Parameters:
    ///   - state: the subject's current visibility.
    ///   - kind: the subject's kind; it selects the threshold.
    ///   - category: the policy category the report names.
    ///   - currentScore: the subject's weighted score in that category before this report.
    ///   - weight: the report's weight (already damped, when damping applies).
    ///   - channel: how the report arrived.
    ///   - hasOpenCase: whether the subject already has an open case.
    public static func assess(
        state: VisibilityState, kind: SubjectKind, category: PolicyCategory, currentScore: Double,
        weight: Double, channel: ReportChannel, hasOpenCase: Bool
    ) -> TriageOutcome {
        // Removed content is already out of reach; the report is recorded but weighs nothing.
        guard state != .removed else {
            return TriageOutcome(counted: false, categoryScore: currentScore, newState: nil, opensCase: false)
        }
        let counted = weight > 0
        let score = currentScore + (counted ? weight : 0)
        var newState: VisibilityState?
        if state != .pendingReview, counted, score >= category.threshold(for: kind) {
            newState = .pendingReview
        }
        // An illegal-content notice must be looked at whatever its weight (DSA Art. 16): it always
        // reaches the queue, though it takes nothing down on its own below the threshold.
        let needsCase = newState != nil || state == .pendingReview || channel == .illegalContentNotice
        return TriageOutcome(counted: counted, categoryScore: score, newState: newState, opensCase: needsCase && !hasOpenCase)
    }
}
