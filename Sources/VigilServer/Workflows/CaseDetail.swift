import VigilCore
import VigilStore

/// A case as a moderator sees it. Reporters appear only as per-case pseudonyms with their track
/// record: this type is built from the store's rows and keeps no reporter hash, seal or id.
public struct CaseDetail: Encodable, Sendable {
    struct CaseInfo: Encodable {
        var id: String
        var status: String
        var category: String
        var severity: String
        var openedAt: String
        var deadlineAt: String
        var overdue: Bool
        var priority: Double
        var heldBy: String?
        var claimExpiresAt: String?
        var decisionId: String?
    }

    struct SubjectInfo: Encodable {
        var id: String
        var kind: String
        var creatorId: String
        var state: String
        var title: String?
        var text: String?
        var views: Int
        var liveViewers: Int
    }

    struct ReportInfo: Encodable {
        var reportId: String
        var reporter: String
        var channel: String
        var note: String?
        var weight: Double
        var counted: Bool
        var receivedAt: String
        var notice: NoticeInfo?
    }

    struct NoticeInfo: Encodable {
        var explanation: String?
        var locationUrl: String?
        var legalGround: String?
    }

    struct ReasonGroup: Encodable {
        var reason: String
        var reports: [ReportInfo]
    }

    struct ReporterInfo: Encodable {
        var pseudonym: String
        var upheld: Double
        var dismissed: Double
        var credibility: Double
        var standing: String
    }

    struct ScoreStep: Encodable {
        var at: String
        var reporter: String
        var reason: String
        var weight: Double
        var cumulative: Double
    }

    struct CategoryScoreInfo: Encodable {
        var category: String
        var score: Double
        var countedReports: Int
    }

    struct CreatorInfo: Encodable {
        var creatorId: String
        var activeStrikes: Int
        var accountActions: [String]
        var priorDecisions: [PriorDecision]
    }

    struct PriorDecision: Encodable {
        var decisionId: String
        var subjectId: String
        var outcome: String
        var policyIds: [String]
        var action: String?
        var strike: Bool
        var decidedAt: String
    }

    var `case`: CaseInfo
    var subject: SubjectInfo
    var weightedScore: Double
    var scores: [CategoryScoreInfo]
    var scoreHistory: [ScoreStep]
    var reportsByReason: [ReasonGroup]
    var reporters: [ReporterInfo]
    var creator: CreatorInfo

    init(record: CaseRecord, subject: Subject, reports: [CaseReport], reporters: [String: ReporterRecord], scores: [CategoryScoreKey: CategoryScore],
         priorDecisions: [DecisionRecord], activeStrikes: Int, accountActions: [AccountActionRecord], holderName: String?, now: Timestamp, model: CredibilityModel) {
        self.case = CaseInfo(
            id: record.id, status: record.status.rawValue, category: record.category, severity: record.severity.rawValue,
            openedAt: record.openedAt.iso8601, deadlineAt: record.deadlineAt.iso8601, overdue: record.isOverdue(at: now),
            priority: record.priority, heldBy: holderName, claimExpiresAt: holderName == nil ? nil : record.claimExpiresAt?.iso8601,
            decisionId: record.decisionID)
        self.subject = SubjectInfo(
            id: subject.id, kind: subject.kind.rawValue, creatorId: subject.creatorID, state: subject.state.rawValue, title: subject.title,
            text: subject.text, views: subject.reach.views, liveViewers: subject.reach.liveViewers)

        // Pseudonyms in order of each reporter's first report on this case: "Reporter A", "Reporter B", …
        var pseudonyms: [String: String] = [:]
        for report in reports where pseudonyms[report.reporterHash] == nil {
            pseudonyms[report.reporterHash] = Pseudonym.reporter(pseudonyms.count)
        }
        let name = { (hash: String) in pseudonyms[hash] ?? "Reporter ?" }

        var groups: [String: [ReportInfo]] = [:]
        var history: [ScoreStep] = []
        var cumulative = 0.0
        for report in reports {
            let notice = report.channel == .illegalContentNotice
                ? NoticeInfo(explanation: report.noticeExplanation, locationUrl: report.noticeLocation, legalGround: report.noticeLegalGround) : nil
            groups[report.reason, default: []].append(ReportInfo(
                reportId: report.id, reporter: name(report.reporterHash), channel: report.channel.rawValue, note: report.note,
                weight: report.weight, counted: report.counted, receivedAt: report.receivedAt.iso8601, notice: notice))
            if report.counted {
                cumulative += report.weight
                history.append(ScoreStep(at: report.receivedAt.iso8601, reporter: name(report.reporterHash), reason: report.reason, weight: report.weight, cumulative: cumulative))
            }
        }
        self.reportsByReason = groups.keys.sorted().map { ReasonGroup(reason: $0, reports: groups[$0] ?? []) }
        self.scoreHistory = history
        self.reporters = pseudonyms.sorted { $0.value.count == $1.value.count ? $0.value < $1.value : $0.value.count < $1.value.count }.map { hash, pseudonym in
            let known = reporters[hash]
            let record = (known?.record ?? .newcomer(at: now)).decayed(to: now, halfLifeDays: model.halfLifeDays)
            return ReporterInfo(
                pseudonym: pseudonym, upheld: record.upheld, dismissed: record.dismissed, credibility: model.credibility(record),
                standing: known?.standing.standing.rawValue ?? MisuseStanding.good.rawValue)
        }
        let subjectScores = scores.filter { $0.key.subjectID == subject.id }
        self.scores = subjectScores.sorted { $0.key.category < $1.key.category }.map {
            CategoryScoreInfo(category: $0.key.category, score: $0.value.score, countedReports: $0.value.countedReports)
        }
        self.weightedScore = subjectScores.values.reduce(0) { $0 + $1.score }
        self.creator = CreatorInfo(
            creatorId: subject.creatorID, activeStrikes: activeStrikes, accountActions: accountActions.map(\.action.rawValue),
            priorDecisions: priorDecisions.map {
                PriorDecision(decisionId: $0.id, subjectId: $0.subjectID, outcome: $0.outcome.rawValue, policyIds: $0.policyIDs,
                              action: $0.action?.rawValue, strike: $0.strike, decidedAt: $0.decidedAt.iso8601)
            })
    }
}
