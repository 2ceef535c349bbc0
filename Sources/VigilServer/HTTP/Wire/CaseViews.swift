import VigilCore
import VigilStore

/// A case as a moderator sees it, of bounded size however many reports it has: the reports are
/// summarised by reason and channel, the score's growth by hour, and the reports themselves are
/// read page by page (``CaseReportPage``). Built from the store's rows, it keeps no reporter hash,
/// seal or id.
struct CaseDetail: Encodable, Sendable {
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
        /// A lone report in a critical category: at the top of the queue, with a short deadline.
        var urgent: Bool
        var coordinationSuspected: Bool
        /// When a takedown corroborated by ordinary reports goes ahead if they still stand as
        /// independent then (absent when none waits).
        var takedownDueAt: String?
        /// The detection rule that raised the case, if automation did.
        var detectedBy: String?
    }

    /// What automated detection knows of the subject: its newest signals and the rules that
    /// matched, with their mode, action and the verdict moderators gave them.
    struct DetectionInfo: Encodable {
        struct SignalInfo: Encodable {
            var source: String
            var id: String
            var type: String
            var label: String
            var score: Double?
            var distance: Int?
            var value: String?
            var model: String?
            var modelVersion: String?
            var receivedAt: String
        }

        struct MatchInfo: Encodable {
            var ruleId: String
            var ruleSetVersion: String
            var mode: String
            var declaredAction: String
            var action: String
            var applied: Bool
            var matchedAt: String
            var outcome: String?
            var appealGranted: Bool
        }

        var signals: [SignalInfo]
        var matches: [MatchInfo]
    }

    /// How the reports combine into independent voices: the groups (by per-case pseudonym, never
    /// an account), what linked them, and the score counting each group once.
    struct CoordinationInfo: Encodable {
        var suspected: Bool
        var groups: [GroupInfo]
        var independentScores: [IndependentScore]
        var burst: BurstInfo
        var volume: VolumeInfo
        var strongestTie: TieInfo?
    }

    struct GroupInfo: Encodable {
        var size: Int
        var signals: [String]
        /// Pseudonyms of the first members ("Reporter C"); `size` says how many there are in all.
        var reporters: [String]
    }

    struct IndependentScore: Encodable {
        var category: String
        var independentVoices: Int
        /// The score counting each group once, to one decimal.
        var score: Double
        var threshold: Double
    }

    struct BurstInfo: Encodable {
        var peak: Int
        var allowance: Double
        var windowMinutes: Double
    }

    struct VolumeInfo: Encodable {
        var reporters: Int
        var allowance: Double
    }

    struct TieInfo: Encodable {
        var sharedTargets: Int
        var dismissedTogether: Int
    }

    struct ShieldInfo: Encodable {
        var active: Bool
        var since: String
        var until: String
        var signals: [String]
        var groupSize: Int
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
        var media: Media?

        struct Media: Encodable {
            var url: String
            var type: String
        }
    }

    struct ReportSummary: Encodable {
        var total: Int
        var counted: Int
        var withNotes: Int
        var byReason: [ReasonSummary]
        var byChannel: [ChannelSummary]
    }

    struct ReasonSummary: Encodable {
        var reason: String
        var reports: Int
        var counted: Int
        /// The weight the counted reports added, to one decimal.
        var weight: Double
    }

    struct ChannelSummary: Encodable {
        var channel: String
        var reports: Int
    }

    /// The counted weight that arrived in one hour (or in a longer span, for long-open cases).
    struct ScoreStep: Encodable {
        var from: String
        var reports: Int
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
        /// The creator's latest shield against a pile-on (moderators only; never shown to the creator).
        var shield: ShieldInfo?
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

    /// At most this many score steps; older hours are merged into the first.
    static let maxScoreSteps = 168
    /// At most this many pseudonyms are listed per group.
    static let maxGroupMembersListed = 50

    var `case`: CaseInfo
    var subject: SubjectInfo
    var weightedScore: Double
    var scores: [CategoryScoreInfo]
    var scoreHistory: [ScoreStep]
    var reportSummary: ReportSummary
    var creator: CreatorInfo
    var coordination: CoordinationInfo?
    var detection: DetectionInfo?

    init(_ overview: CaseOverview, policy: Policy) {
        let (record, subject, tally, hourly, scores) = (overview.record, overview.subject, overview.tally, overview.hourly, overview.scores)
        let (priorDecisions, activeStrikes, accountActions, holderName, now) = (
            overview.priorDecisions, overview.activeStrikes, overview.accountActions, overview.holderName, overview.asOf)
        self.case = CaseInfo(
            id: record.id, status: record.status.rawValue, category: record.category, severity: record.severity.rawValue,
            openedAt: record.openedAt.iso8601, deadlineAt: record.deadlineAt.iso8601, overdue: record.isOverdue(at: now),
            priority: record.priority, heldBy: holderName, claimExpiresAt: holderName == nil ? nil : record.claimExpiresAt?.iso8601,
            decisionId: record.decisionID, urgent: record.urgent, coordinationSuspected: record.coordinationSuspected,
            takedownDueAt: record.takedownDueAt?.iso8601, detectedBy: record.detectedBy)
        if !overview.signals.isEmpty || !overview.ruleMatches.isEmpty {
            self.detection = DetectionInfo(
                signals: overview.signals.map {
                    DetectionInfo.SignalInfo(source: $0.source, id: $0.id, type: $0.kind.rawValue, label: $0.label, score: $0.score, distance: $0.distance,
                                             value: $0.value, model: $0.model, modelVersion: $0.modelVersion, receivedAt: $0.receivedAt.iso8601)
                },
                matches: overview.ruleMatches.map {
                    DetectionInfo.MatchInfo(ruleId: $0.ruleID, ruleSetVersion: $0.ruleSetVersion, mode: $0.mode.rawValue, declaredAction: $0.declaredAction.rawValue,
                                            action: $0.action.rawValue, applied: $0.applied, matchedAt: $0.matchedAt.iso8601, outcome: $0.outcome?.rawValue,
                                            appealGranted: $0.appealGranted)
                })
        }
        self.subject = SubjectInfo(
            id: subject.id, kind: subject.kind.rawValue, creatorId: subject.creatorID, state: subject.state.rawValue, title: subject.title,
            text: subject.text, views: subject.reach.views, liveViewers: subject.reach.liveViewers,
            media: subject.media.map { SubjectInfo.Media(url: $0.url, type: $0.kind.rawValue) })

        let reasons = Dictionary(grouping: tally, by: \.reason)
        let channels = Dictionary(grouping: tally, by: \.channel)
        self.reportSummary = ReportSummary(
            total: tally.reduce(0) { $0 + $1.reports }, counted: tally.filter(\.counted).reduce(0) { $0 + $1.reports },
            withNotes: tally.reduce(0) { $0 + $1.withNotes },
            byReason: reasons.keys.sorted().map { reason in
                let rows = reasons[reason] ?? []
                return ReasonSummary(
                    reason: reason, reports: rows.reduce(0) { $0 + $1.reports }, counted: rows.filter(\.counted).reduce(0) { $0 + $1.reports },
                    weight: Rounded.tenth(rows.filter(\.counted).reduce(0) { $0 + $1.weight }))
            },
            byChannel: channels.keys.sorted().map { ChannelSummary(channel: $0, reports: (channels[$0] ?? []).reduce(0) { $0 + $1.reports }) })

        var steps: [ScoreStep] = []
        var cumulative = 0.0
        let merged = max(0, hourly.count - Self.maxScoreSteps + 1)
        for (index, hour) in hourly.enumerated() {
            cumulative += hour.weight
            if index < merged, var first = steps.first {
                first.reports += hour.reports
                first.weight = Rounded.tenth(cumulative)
                first.cumulative = Rounded.tenth(cumulative)
                steps[0] = first
            } else {
                steps.append(ScoreStep(from: hour.hour.iso8601, reports: hour.reports, weight: Rounded.tenth(hour.weight), cumulative: Rounded.tenth(cumulative)))
            }
        }
        self.scoreHistory = steps

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
            },
            shield: overview.shield.map {
                ShieldInfo(active: $0.isActive(at: now), since: $0.since.iso8601, until: $0.until.iso8601,
                           signals: $0.signals.map(\.rawValue).sorted(), groupSize: $0.groupSize)
            })
        if let independence = overview.independence {
            let positions = overview.positions
            let categories = Set(subjectScores.map(\.key.category))
            self.coordination = CoordinationInfo(
                suspected: independence.coordinationSuspected,
                groups: independence.groups.filter { $0.members.count > 1 }.map { group in
                    GroupInfo(size: group.members.count, signals: group.signals.map(\.rawValue).sorted(),
                              reporters: group.members.prefix(Self.maxGroupMembersListed).compactMap { positions[$0].map(Pseudonym.reporter) })
                },
                independentScores: categories.sorted().map { category in
                    IndependentScore(
                        category: category, independentVoices: independence.independentVoices(category: category),
                        score: Rounded.tenth(independence.effectiveScore(category: category)),
                        threshold: policy.category(category)?.threshold(for: subject.kind) ?? 0)
                },
                burst: BurstInfo(peak: independence.burstPeak, allowance: Rounded.tenth(independence.burstAllowance), windowMinutes: independence.burstWindowMinutes),
                volume: VolumeInfo(reporters: independence.volume, allowance: Rounded.tenth(independence.volumeAllowance)),
                strongestTie: independence.strongestTie.map { TieInfo(sharedTargets: $0.shared, dismissedTogether: $0.dismissed) })
        }
    }
}

/// A page of a case's reports, in the order they arrived. Each reporter appears as the case's
/// pseudonym ("Reporter A") with a coarse track record: whole counts, credibility and weight to
/// one decimal, the hour of receipt. Exact decayed counts, weights or times would let a
/// moderator recover when each past decision was made and link one pseudonym to another across
/// cases; the report id is left out because the reporter's own client holds it.
struct CaseReportPage: Encodable, Sendable {
    struct ReportInfo: Encodable {
        var reporter: String
        var trackRecord: TrackRecordInfo
        var reason: String
        var channel: String
        var note: String?
        var weight: Double
        var counted: Bool
        var receivedHour: String
        var notice: NoticeInfo?
    }

    struct TrackRecordInfo: Encodable {
        var upheld: Int
        var dismissed: Int
        var credibility: Double
        var standing: String
    }

    struct NoticeInfo: Encodable {
        var explanation: String?
        var locationUrl: String?
        var legalGround: String?
    }

    var reports: [ReportInfo]
    var nextCursor: String?

    init(_ page: CaseReportsPage, model: CredibilityModel) {
        let now = page.asOf
        reports = page.entries.map { entry in
            let (position, report, known) = (entry.position, entry.report, entry.reporter)
            let record = (known?.record ?? .newcomer(at: now)).decayed(to: now, halfLifeDays: model.halfLifeDays)
            let notice = report.channel == .illegalContentNotice
                ? NoticeInfo(explanation: report.noticeExplanation, locationUrl: report.noticeLocation, legalGround: report.noticeLegalGround) : nil
            return ReportInfo(
                reporter: Pseudonym.reporter(position),
                trackRecord: TrackRecordInfo(
                    upheld: Rounded.whole(record.upheld), dismissed: Rounded.whole(record.dismissed),
                    credibility: Rounded.tenth(model.credibility(record)),
                    standing: known?.standing.standing.rawValue ?? MisuseStanding.good.rawValue),
                reason: report.reason, channel: report.channel.rawValue, note: report.note, weight: Rounded.tenth(report.weight),
                counted: report.counted, receivedHour: report.receivedAt.hourFloor.iso8601, notice: notice)
        }
        nextCursor = page.nextCursor
    }
}

/// Coarse numbers for moderator views.
enum Rounded {
    static func tenth(_ value: Double) -> Double { value.isFinite ? (value * 10).rounded() / 10 : 0 }

    /// Track-record counts are decayed sums, far below `Int.max`; anything else reads as 0.
    static func whole(_ value: Double) -> Int {
        guard value.isFinite, value >= 0, value < 1e15 else { return 0 }
        return Int(value.rounded())
    }
}
