import Foundation

/// The DSA transparency-report figures for a period (Art. 15 and 24), computed from the audit log
/// alone, so any period can be recomputed at any time.
public struct TransparencyReport: Encodable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var reportsReceived: Int
    public var reportsByCategory: [String: Int]
    public var reportsByChannel: [String: Int]
    public var trustedFlaggerShare: Double
    /// Restrictions by type: visibility states and account measures.
    public var restrictionsByType: [String: Int]
    /// Content restrictions by policy ground.
    public var restrictionsByGround: [String: Int]
    /// Restrictions applied by automated means (provisional takedowns when reports cross a threshold).
    public var automatedRestrictions: Int
    /// Decisions made by moderators, by outcome.
    public var humanDecisions: [String: Int]
    public var medianSecondsFirstReportToAction: Double?
    public var appealsReceived: Int
    public var appealsDecided: Int
    public var appealsGrantedShare: Double?
    public var medianSecondsToAppealDecision: Double?
    public var misuseWarnings: Int
    public var misuseSuspensions: Int
    public var strikes: Int
    public var accountActions: [String: Int]

    enum CodingKeys: String, CodingKey {
        case from, to, strikes
        case reportsReceived = "reports_received", reportsByCategory = "reports_by_category", reportsByChannel = "reports_by_channel"
        case trustedFlaggerShare = "trusted_flagger_share", restrictionsByType = "restrictions_by_type", restrictionsByGround = "restrictions_by_ground"
        case automatedRestrictions = "automated_restrictions", humanDecisions = "human_decisions"
        case medianSecondsFirstReportToAction = "median_seconds_first_report_to_action"
        case appealsReceived = "appeals_received", appealsDecided = "appeals_decided", appealsGrantedShare = "appeals_granted_share"
        case medianSecondsToAppealDecision = "median_seconds_to_appeal_decision"
        case misuseWarnings = "misuse_warnings", misuseSuspensions = "misuse_suspensions", accountActions = "account_actions"
    }

    /// The report as plain text, for people.
    public var text: String {
        func rows(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "    (none)" : counts.sorted { $0.key < $1.key }.map { "    \($0.key): \($0.value)" }.joined(separator: "\n")
        }
        func hours(_ seconds: Double?) -> String { seconds.map { String(format: "%.2f h", $0 / 3_600) } ?? "n/a" }
        func percent(_ share: Double?) -> String { share.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        return """
            Transparency report \(from) to \(to)
            Reports received: \(reportsReceived) (trusted flaggers: \(percent(trustedFlaggerShare)))
              by category:
            \(rows(reportsByCategory))
              by channel:
            \(rows(reportsByChannel))
            Restrictions by type:
            \(rows(restrictionsByType))
            Restrictions by ground:
            \(rows(restrictionsByGround))
            Automated restrictions: \(automatedRestrictions)
            Human decisions:
            \(rows(humanDecisions))
            Median time from first report to action: \(hours(medianSecondsFirstReportToAction))
            Appeals received: \(appealsReceived), decided: \(appealsDecided), granted: \(percent(appealsGrantedShare)), median time to decision: \(hours(medianSecondsToAppealDecision))
            Misuse: \(misuseWarnings) warnings, \(misuseSuspensions) suspensions
            Strikes: \(strikes)
            Account actions:
            \(rows(accountActions))
            """
    }
}

/// Replays audit events (in sequence order, from the start of the log up to the period's end) and
/// counts what happened inside the period. Events before it only supply history: when a subject's
/// first open report came, when an appeal was filed.
public struct TransparencyTally: Sendable {
    public let from: Timestamp
    public let to: Timestamp
    private var report: TransparencyReport
    private var firstOpenReport: [String: Timestamp] = [:]
    private var appealFiled: [String: Timestamp] = [:]
    private var toAction: [Double] = []
    private var toAppealDecision: [Double] = []
    private var granted = 0

    public init(from: Timestamp, to: Timestamp) {
        self.from = from
        self.to = to
        report = TransparencyReport(
            from: from.iso8601, to: to.iso8601, reportsReceived: 0, reportsByCategory: [:], reportsByChannel: [:], trustedFlaggerShare: 0,
            restrictionsByType: [:], restrictionsByGround: [:], automatedRestrictions: 0, humanDecisions: [:],
            medianSecondsFirstReportToAction: nil, appealsReceived: 0, appealsDecided: 0, appealsGrantedShare: nil,
            medianSecondsToAppealDecision: nil, misuseWarnings: 0, misuseSuspensions: 0, strikes: 0, accountActions: [:])
    }

    /// Counts one event. An event whose payload does not decode as its type's is counted as far
    /// as its type alone allows (a log verified by the chain never has one).
    public mutating func add(_ event: AuditEvent) {
        guard event.occurredAt < to else { return }
        let inPeriod = event.occurredAt >= from
        let subject = event.subjectID ?? ""
        switch AuditEventType(rawValue: event.type) {
        case .reportReceived?:
            if firstOpenReport[subject] == nil { firstOpenReport[subject] = event.occurredAt }
            guard inPeriod else { return }
            report.reportsReceived += 1
            let received = try? event.payload(as: ReportReceived.self)
            report.reportsByCategory[received?.reason ?? "unknown", default: 0] += 1
            report.reportsByChannel[received?.channel.rawValue ?? "unknown", default: 0] += 1
        case .subjectStateChanged?:
            guard let change = try? event.payload(as: SubjectStateChanged.self), change.to != .visible else { return }
            if let first = firstOpenReport.removeValue(forKey: subject), inPeriod {
                toAction.append(first.seconds(until: event.occurredAt))
            }
            guard inPeriod else { return }
            report.restrictionsByType[change.to.rawValue, default: 0] += 1
            if let ground = change.ground { report.restrictionsByGround[ground, default: 0] += 1 }
            if change.isAutomated { report.automatedRestrictions += 1 }
        case .decisionMade?:
            // A decision spends the subject's open reports; the next report starts a new clock.
            firstOpenReport[subject] = nil
            if inPeriod { report.humanDecisions[(try? event.payload(as: DecisionMade.self))?.outcome.rawValue ?? "unknown", default: 0] += 1 }
        case .accountActionApplied?:
            guard inPeriod, let action = (try? event.payload(as: AccountActionChanged.self))?.action else { return }
            report.accountActions[action.rawValue, default: 0] += 1
            if action != .warning { report.restrictionsByType[action.rawValue, default: 0] += 1 }
        case .strikeAdded?:
            if inPeriod { report.strikes += 1 }
        case .reporterWarned?:
            if inPeriod { report.misuseWarnings += 1 }
        case .reporterSuspended?:
            if inPeriod { report.misuseSuspensions += 1 }
        case .appealFiled?:
            if let id = (try? event.payload(as: AppealChanged.self))?.appealId { appealFiled[id] = event.occurredAt }
            if inPeriod { report.appealsReceived += 1 }
        case .appealDecided?:
            guard inPeriod else { return }
            report.appealsDecided += 1
            let decided = try? event.payload(as: AppealChanged.self)
            if decided?.outcome == .granted { granted += 1 }
            if let id = decided?.appealId, let filed = appealFiled[id] {
                toAppealDecision.append(filed.seconds(until: event.occurredAt))
            }
        default:
            return
        }
    }

    public func finish() -> TransparencyReport {
        var result = report
        let trusted = report.reportsByChannel[ReportChannel.trustedFlagger.rawValue] ?? 0
        result.trustedFlaggerShare = report.reportsReceived == 0 ? 0 : Double(trusted) / Double(report.reportsReceived)
        result.medianSecondsFirstReportToAction = Self.median(toAction)
        result.appealsGrantedShare = report.appealsDecided == 0 ? nil : Double(granted) / Double(report.appealsDecided)
        result.medianSecondsToAppealDecision = Self.median(toAppealDecision)
        return result
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
