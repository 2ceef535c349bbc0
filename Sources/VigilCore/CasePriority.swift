import Foundation

/// How urgent a case is, as a number where larger is more urgent. Live streams and overdue cases
/// are ordered first by the queue itself; within those, this orders by severity, then weighted
/// score and reach (both on a log scale, so a viral video does not drown a severe one).
public enum CasePriority {
    public static func base(severity: Severity, weightedScore: Double, reach: Reach, lowered: Bool = false) -> Double {
        let severityPart = Double(severity.rank) * 100
        let scorePart = min(30, 10 * log2(1 + max(0, weightedScore)))
        // In Double: reach comes from the platform, and a sum of two large counts must not trap.
        // Stored rows from before reach was bounded can hold any Int.
        let audience = Double(max(reach.views, 0)) + 10 * Double(max(reach.liveViewers, 0))
        let reachPart = min(30, 3 * log2(1 + audience))
        // A notice from a reporter suspended for misuse is still looked at, after all the others:
        // the penalty exceeds the largest base (300 + 30 + 30).
        return severityPart + scorePart + reachPart - (lowered ? 400 : 0)
    }
}
