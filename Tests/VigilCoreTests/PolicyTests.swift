import Testing
@testable import VigilCore

@Suite("Policy")
struct PolicyTests {
    @Test("the built-in policy is valid and has the required categories")
    func builtIn() {
        let policy = Policy.builtIn
        #expect(policy.validate().isEmpty)
        let expected: [String: Severity] = [
            "child_safety": .critical, "violent_extremism": .critical,
            "self_harm": .high, "hate_speech": .high, "dangerous_acts": .high,
            "harassment": .medium, "nudity": .medium, "misinformation": .medium, "impersonation": .medium, "ip_infringement": .medium,
            "spam": .low, "other": .low,
        ]
        for (id, severity) in expected {
            #expect(policy.category(id)?.severity == severity, "\(id)")
        }
    }

    @Test("critical categories act on one credible report")
    func criticalIsOneReport() {
        for category in Policy.builtIn.categories.values where category.severity == .critical {
            for kind in SubjectKind.allCases { #expect(category.threshold(for: kind) <= 1, "\(category.id) \(kind)") }
        }
    }

    @Test("validation lists every problem at once")
    func everyProblem() {
        let bad = Policy(version: "", categories: [
            PolicyCategory(id: "Bad Id", title: "x", severity: .low, thresholds: [.video: 0, .live: 1], reviewDeadlineHours: -1, dsaCategory: "NOPE"),
        ])
        let problems = bad.validate()
        #expect(problems.contains("version: must not be empty"))
        #expect(problems.contains { $0.contains("Bad Id: id must be") })
        #expect(problems.contains { $0.hasSuffix("thresholds.video: must be a positive number") })
        #expect(problems.contains { $0.hasSuffix("thresholds.comment: missing") })
        #expect(problems.contains { $0.hasSuffix("thresholds.account: missing") })
        #expect(problems.contains { $0.hasSuffix("review_deadline_hours: must be a positive number of hours, at most 8760 (a year)") })
        #expect(problems.contains { $0.contains("dsa_category: 'NOPE'") })
        #expect(problems.count == 7)
    }
}

@Suite("Report validation")
struct ReportValidationTests {
    let policy = Policy.builtIn

    func problem(_ submission: ReportSubmission) -> String? {
        do {
            try submission.validate(against: policy)
            return nil
        } catch {
            if case .invalidField(let field, _) = error { return field }
            return "\(error)"
        }
    }

    static let notice = IllegalContentNotice(explanation: "Unlawful", locationURL: "https://example.com/v/1", legalGround: nil, notifierName: "N", notifierEmail: "n@example.com")

    @Test("each invalid submission names its field", arguments: [
        (ReportSubmission(reporterID: "", subjectID: "s", reason: "spam"), "reporter_id"),
        (ReportSubmission(reporterID: "a b", subjectID: "s", reason: "spam"), "reporter_id"),
        (ReportSubmission(reporterID: "r", subjectID: String(repeating: "s", count: 257), reason: "spam"), "subject_id"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "rudeness"), "reason"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", note: String(repeating: "n", count: 2_001)), "note"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", reporterAccountAgeDays: -1), "reporter_account_age_days"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", channel: .illegalContentNotice), "notice"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", notice: notice), "notice"),
        (ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", channel: .illegalContentNotice,
                          notice: IllegalContentNotice(explanation: "x", locationURL: "ftp://x", legalGround: nil, notifierName: "N", notifierEmail: "n@x")), "notice.location_url"),
    ])
    func invalid(submission: ReportSubmission, field: String) {
        #expect(problem(submission) == field)
    }

    @Test("valid submissions pass, a 2,000-character note included")
    func valid() {
        #expect(problem(ReportSubmission(reporterID: "r", subjectID: "s", reason: "spam", note: String(repeating: "n", count: 2_000))) == nil)
        #expect(problem(ReportSubmission(reporterID: "r", subjectID: "s", reason: "hate_speech", channel: .illegalContentNotice, notice: Self.notice)) == nil)
    }
}
