extension RuleSet {
    /// The rules used with the built-in policy when `vigil serve` is given no rule file. In shadow:
    /// they act on nothing, and their precision against moderators' decisions is measured from the
    /// first day, so an operator can see what switching them on would do before doing it.
    public static let builtIn = RuleSet(version: "builtin-2026-11", rules: [
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
    ])
}
