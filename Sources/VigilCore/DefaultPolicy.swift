extension Policy {
    /// The built-in community guidelines, used when `vigil serve` is given no policy file.
    ///
    /// Thresholds are in units of "credible reports": a newcomer in good standing weighs 1.0.
    /// Critical categories act on two independent credible reports (or one from a trusted flagger or
    /// a proven reporter; a lone ordinary one opens an urgent case instead: see ``Triage``); live
    /// streams need less weight than videos because harm on a live stream happens now.
    public static let builtIn = Policy(version: "builtin-2026-11", categories: [
        category("child_safety", "Child safety", .critical, [1, 0.8, 1, 1], 1, "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"),
        category("violent_extremism", "Violent extremism", .critical, [1, 0.8, 1, 1], 2, "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"),
        category("self_harm", "Suicide and self-harm", .high, [3, 2, 3, 5], 6, "STATEMENT_CATEGORY_SELF_HARM"),
        category("hate_speech", "Hate speech", .high, [3, 2, 3, 5], 12, "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"),
        category("dangerous_acts", "Dangerous acts and challenges", .high, [3, 2, 3, 5], 12, "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"),
        category("harassment", "Harassment and bullying", .medium, [5, 3, 4, 8], 24, "STATEMENT_CATEGORY_CYBER_VIOLENCE"),
        category("nudity", "Nudity and sexual content", .medium, [5, 3, 5, 8], 24, "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"),
        category("misinformation", "Harmful misinformation", .medium, [5, 3, 5, 8], 24, "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"),
        category("impersonation", "Impersonation", .medium, [5, 3, 5, 5], 24, "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"),
        category("ip_infringement", "Intellectual property infringement", .medium, [5, 3, 5, 8], 48, "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS"),
        category("spam", "Spam and fake engagement", .low, [10, 6, 8, 15], 72, "STATEMENT_CATEGORY_SCAMS_AND_FRAUD"),
        category("other", "Other", .low, [10, 6, 8, 15], 72, "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"),
    ])

    /// `thresholds` in the order video, live, comment, account.
    private static func category(
        _ id: String, _ title: String, _ severity: Severity, _ thresholds: [Double], _ deadlineHours: Double,
        _ dsa: String
    ) -> PolicyCategory {
        PolicyCategory(
            id: id, title: title, severity: severity,
            thresholds: [.video: thresholds[0], .live: thresholds[1], .comment: thresholds[2], .account: thresholds[3]],
            reviewDeadlineHours: deadlineHours, dsaCategory: dsa)
    }
}
