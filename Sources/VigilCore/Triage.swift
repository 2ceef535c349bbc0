/// What counting one report does to its subject.
public struct TriageOutcome: Sendable, Equatable {
    /// Whether the report's weight was added to the subject's score.
    public var counted: Bool
    /// The subject's raw score in the report's category after this report (every counted weight).
    public var categoryScore: Double
    /// The state the subject moves to, if it changes.
    public var newState: VisibilityState?
    /// Whether a review case must be opened for the subject.
    public var opensCase: Bool
    /// Whether the case it opens goes behind the others (a notice from a suspended reporter).
    public var lowersPriority: Bool = false
    /// Whether the subject's case belongs at the very top of the queue with a short deadline: a
    /// report in a critical category that does not take the subject down on its own.
    public var urgent: Bool = false
    /// Whether the score crossed the threshold only by counting reports that are not independent.
    public var heldBack: Bool = false
    /// Whether unvetted reports corroborate a takedown that waits out the settle period: the case
    /// opens now, and the takedown follows if the reports still stand as independent at its end
    /// (``Triage/settles(subject:category:corroboration:thresholdFactor:)``).
    public var settling: Bool = false
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

/// How far the reports in one category are corroborated by independent voices, from an
/// ``IndependenceAssessment`` that includes the report being triaged.
public struct Corroboration: Sendable, Equatable {
    /// The score counting each group of dependent reports once.
    public var independentScore: Double
    /// How many independent voices reported the category.
    public var voices: Int
    /// Whether a trusted flagger or a proven reporter is among them (such a report may act alone).
    public var vetted: Bool
    /// Whether the subject's reports look coordinated: worth a moderator's look, whatever they add up to.
    public var coordinated: Bool
    /// Whether a live detection rule found the category in the subject: automated detection is a
    /// voice independent of every reporter.
    public var detected: Bool

    public init(independentScore: Double, voices: Int, vetted: Bool, coordinated: Bool = false, detected: Bool = false) {
        self.independentScore = independentScore
        self.voices = voices
        self.vetted = vetted
        self.coordinated = coordinated
        self.detected = detected
    }

    public init(_ assessment: IndependenceAssessment, category: String, detected: Bool = false) {
        self.init(independentScore: assessment.effectiveScore(category: category),
                  voices: assessment.independentVoices(category: category),
                  vetted: assessment.hasVettedVoice(category: category),
                  coordinated: assessment.coordinationSuspected,
                  detected: detected)
    }

    /// Whether the reports may take the subject down: two independent voices, a vetted one, or one
    /// that automated detection corroborates. The weight must still reach the threshold.
    public var suffices: Bool { voices >= 2 || vetted || (detected && voices >= 1) }

    /// Whether the reports carry a takedown at `threshold`: independent weight enough, and corroborated.
    public func carries(_ threshold: Double) -> Bool { independentScore >= threshold && suffices }
}

/// The triage rule of DESIGN.md §2. Weighted reports accumulate per policy category; the subject is
/// taken down pending review when the **independent** score reaches the category's threshold for
/// the subject's kind (raised while the creator is shielded) **and** the reports are corroborated
/// (two independent voices, or one trusted flagger or proven reporter). Unvetted corroboration
/// takes the subject down only once it has stood for the settle period (minutes; shorter for live
/// streams), so that a brigade's first reports cannot act before the rest reveal it; a vetted voice
/// acts at once. No ordinary single report
/// takes anything down: in a critical category it opens an urgent case at the top of the queue.
/// Raw weight that crosses the threshold without independence opens a case, without a takedown, and
/// so does independent weight past `reviewShare` of the threshold, and so do coordinated reports
/// (nothing is discarded: a pile-on is itself worth a look).
///
/// After a decision, the subject's scores start again from zero (decided reports are spent). A new
/// case then needs new credible weight: the full threshold again for a reason already ruled on,
/// or, for a reason the last decision did not review, one report of at least
/// `newReasonMinWeight` (it opens a case without taking the subject down).
public enum Triage {
    public static func assess(
        subject: TriageSubject, category: PolicyCategory, currentScore: Double, weight: Double,
        channel: ReportChannel, corroboration: Corroboration, thresholdFactor: Double = 1,
        reporterSuspended: Bool = false, newReasonMinWeight: Double = 1, reviewShare: Double = 1, settleSeconds: Double = 0
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
        let threshold = category.threshold(for: subject.kind) * max(1, thresholdFactor)
        let canTakeDown = subject.state != .pendingReview && counted
        var newState: VisibilityState?
        var settling = false
        if canTakeDown, corroboration.carries(threshold) {
            // A vetted voice has earned acting at once; ordinary ones wait for a burst to show.
            if corroboration.vetted || settleSeconds <= 0 { newState = .pendingReview } else { settling = true }
        }
        let heldBack = canTakeDown && newState == nil && !settling && score >= threshold
        let urgent = canTakeDown && newState == nil && category.severity == .critical
        // Credible, independent weight short of a takedown still earns a human look.
        let worthReview = counted && subject.state != .pendingReview && corroboration.independentScore >= threshold * reviewShare
        let newAllegation = !subject.reviewedReasons.isEmpty && !subject.reviewedReasons.contains(category.id) && weight >= newReasonMinWeight
        // An illegal-content notice must be looked at whatever its weight (DSA Art. 16): it always
        // reaches the queue, though it takes nothing down on its own below the threshold.
        let needsCase = newState != nil || subject.state == .pendingReview || channel == .illegalContentNotice || newAllegation
            || urgent || heldBack || settling || worthReview || (counted && corroboration.coordinated)
        return TriageOutcome(
            counted: counted, categoryScore: score, newState: newState, opensCase: needsCase && !subject.hasOpenCase,
            urgent: urgent, heldBack: heldBack, settling: settling)
    }

    /// Whether a takedown that waited out its settle period goes ahead: the subject is still up and
    /// its reports in `category`, assessed again with everything that arrived meanwhile, are still
    /// corroborated by independent voices past the threshold.
    public static func settles(subject: TriageSubject, category: PolicyCategory, corroboration: Corroboration, thresholdFactor: Double = 1) -> Bool {
        guard subject.state == .visible || subject.state == .suppressed else { return false }
        return corroboration.carries(category.threshold(for: subject.kind) * max(1, thresholdFactor))
    }
}
