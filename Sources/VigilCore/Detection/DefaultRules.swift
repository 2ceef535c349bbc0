extension RuleSet {
    /// The rules used when `vigil serve` is given no rule file.
    ///
    /// - A re-upload of content a moderator removed (a `confirmed-removals` match within PDQ's
    ///   confident distance) is taken down pending review, live, on the ground the removal rested
    ///   on: one rule per category of the policy in force, the operator's own included.
    /// - With the built-in policy, two rules on the built-in text classifier, in shadow: they act
    ///   on nothing, and their precision against moderators' decisions is measured from the first
    ///   day, so an operator can see what switching them on would do before doing it.
    public static func defaults(for policy: Policy, textRules: Bool) -> RuleSet {
        RuleSet(version: textRules ? "builtin-2026-12" : "builtin-2026-12-banks-\(policy.version)",
                rules: policy.categoryIDs.map(confirmedRemoval) + (textRules ? builtInTextRules : []))
    }

    /// The rule that takes a re-upload of content removed for `category` down pending review.
    public static func confirmedRemoval(_ category: String) -> DetectionRule {
        DetectionRule(
            id: "confirmed-removal-\(category)", title: "Re-upload of content a moderator removed (\(category))", policy: category,
            action: .pendingReview, mode: .live,
            condition: .signal(SignalCondition(kind: .hashMatch, label: HashBank.confirmedRemovals, source: "vigil",
                                               distanceAtMost: PDQ.matchDistance, value: category)))
    }

    static let builtInTextRules = [
        DetectionRule(
            id: "abusive-comment", title: "Abusive language in a comment (built-in text classifier)", policy: "harassment",
            action: .suppress, mode: .shadow,
            condition: .all([
                .signal(SignalCondition(kind: .classifier, label: "profanity", source: "vigil", scoreAtLeast: 0.9)),
                .subject(SubjectCondition(kinds: [.comment])),
            ])),
        DetectionRule(
            id: "abusive-title", title: "Abusive language in a video's or stream's title or description (built-in text classifier)",
            policy: "harassment", action: .escalate, mode: .shadow,
            condition: .all([
                .signal(SignalCondition(kind: .classifier, label: "profanity", source: "vigil", scoreAtLeast: 0.95)),
                .subject(SubjectCondition(kinds: [.video, .live, .account])),
            ])),
    ]
}
