/// The wording of every statement of reasons. Facts describe the act and the ground, never the
/// reporters: no names, no numbers of reports or reporters, no report times.
extension StatementOfReasons {
    static func redress(decisionID: String?) -> String {
        if decisionID != nil {
            return "You can appeal this decision within six months through the platform's appeal form, quoting the decision id. "
                + "A person other than the one who decided will review it. You may also use an out-of-court dispute settlement body or the courts."
        }
        return "This is a temporary measure while a person reviews the content; you will receive a decision you can appeal. "
            + "You may also use an out-of-court dispute settlement body or the courts."
    }

    /// The provisional takedown when reports cross a category's threshold.
    public static func provisionalTakedown(subject: Subject, category: PolicyCategory, policyVersion: String, at time: Timestamp) -> StatementOfReasons {
        StatementOfReasons(
            restriction: Restriction(type: VisibilityState.pendingReview.rawValue, scope: "\(subject.kind.rawValue) \(subject.id)",
                                     startsAt: time.iso8601, endsAt: nil, duration: "until_review"),
            facts: "Your \(subject.kind.rawValue) was reported under the policy '\(category.title)'. "
                + "It has been taken down temporarily while a moderator reviews it against that policy.",
            automatedDetection: false, automatedDecision: true, grounds: [Ground(category)], policyVersion: policyVersion,
            redress: redress(decisionID: nil), appealableDecisionID: nil, appealDeadline: nil)
    }

    /// A restriction automated detection applied. It names the policy ground, never the rule, the
    /// signals or their thresholds. With a decision id (a suppression no moderator reviews) it is
    /// appealable at once; without, a moderator's review follows.
    public static func automatedRestriction(subject: Subject, state: VisibilityState, category: PolicyCategory, decisionID: String?,
                                            policyVersion: String, at time: Timestamp) -> StatementOfReasons {
        let what = switch state {
        case .removed: "removed"
        case .suppressed: "kept up but is no longer recommended (reduced distribution)"
        default: "taken down temporarily"
        }
        let review = decisionID == nil ? " while a moderator reviews it against that policy" : ""
        return StatementOfReasons(
            restriction: Restriction(type: state.rawValue, scope: "\(subject.kind.rawValue) \(subject.id)", startsAt: time.iso8601, endsAt: nil,
                                     duration: decisionID == nil ? "until_review" : "indefinite"),
            facts: "Automated systems found that your \(subject.kind.rawValue) may violate the policy '\(category.title)'. "
                + "It has been \(what)\(review). No person has reviewed it yet.",
            automatedDetection: true, automatedDecision: true, grounds: [Ground(category)], policyVersion: policyVersion,
            redress: redress(decisionID: decisionID), appealableDecisionID: decisionID,
            appealDeadline: decisionID.map { _ in time.adding(seconds: AppealWindow.days * 86_400).iso8601 })
    }

    /// A moderator's violation decision on content.
    public static func violation(subject: Subject, decision: DecisionInput, decisionID: String, grounds: [PolicyCategory], policyVersion: String, at time: Timestamp) -> StatementOfReasons {
        let state = decision.resultingState
        let what = state == .removed ? "removed" : "kept up but no longer recommended (reduced distribution)"
        let titles = grounds.map { "'\($0.title)'" }.joined(separator: ", ")
        return StatementOfReasons(
            restriction: Restriction(type: state.rawValue, scope: "\(subject.kind.rawValue) \(subject.id)", startsAt: time.iso8601,
                                     endsAt: nil, duration: "indefinite"),
            facts: "A moderator reviewed your \(subject.kind.rawValue) and found that it violates the policy \(titles). It has been \(what)."
                + (decision.strike ? " A strike was added to your account." : ""),
            automatedDetection: false, automatedDecision: false, grounds: grounds.map(Ground.init), policyVersion: policyVersion,
            redress: redress(decisionID: decisionID), appealableDecisionID: decisionID,
            appealDeadline: time.adding(seconds: AppealWindow.days * 86_400).iso8601)
    }

    /// An account measure brought by the strike ladder.
    public static func accountAction(creatorID: String, rung: StrikeRung, activeStrikes: Int, decisionID: String, grounds: [PolicyCategory], policyVersion: String, at time: Timestamp) -> StatementOfReasons {
        let end = rung.days.map { time.adding(seconds: $0 * 86_400) }
        let measure: String = switch rung.action {
        case .warning: "This is a warning: further violations lead to restrictions of your account."
        case .liveAccessRemoved: "You cannot go live for \(Int(rung.days ?? 0)) days."
        case .accountSuspended: "Your account is suspended for \(Int(rung.days ?? 0)) days."
        }
        return StatementOfReasons(
            restriction: Restriction(type: rung.action.rawValue, scope: "account \(creatorID)", startsAt: time.iso8601,
                                     endsAt: end?.iso8601, duration: rung.days.map { "\(Int($0)) days" } ?? "none"),
            facts: "Your account has \(activeStrikes) active strike\(activeStrikes == 1 ? "" : "s") for violations of the community guidelines. \(measure)",
            automatedDetection: false, automatedDecision: false, grounds: grounds.map(Ground.init), policyVersion: policyVersion,
            redress: redress(decisionID: decisionID), appealableDecisionID: decisionID,
            appealDeadline: time.adding(seconds: AppealWindow.days * 86_400).iso8601)
    }
}
