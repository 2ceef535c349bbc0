import Foundation
import VigilCore
import VigilStore

// Request and response bodies of the moderator review endpoints. Decoded and encoded one way: ``JSONBody``.

struct DecisionBody: RequestBody {
    static let fields: Set<String> = ["outcome", "policy_ids", "action", "strike", "note"]

    var outcome: String
    var policyIDs: [String]?
    var action: String?
    var strike: Bool?
    var note: String

    enum CodingKeys: String, CodingKey {
        case outcome, action, strike, note
        case policyIDs = "policy_ids"
    }

    func input() throws(VigilError) -> DecisionInput {
        guard let outcome = DecisionOutcome(rawValue: outcome) else {
            throw .invalidField(field: "outcome", detail: "must be one of: violation, no_violation")
        }
        var parsedAction: EnforcementAction?
        if let action {
            guard let value = EnforcementAction(rawValue: action) else { throw .invalidField(field: "action", detail: "must be one of: remove, suppress") }
            parsedAction = value
        }
        return DecisionInput(outcome: outcome, policyIDs: policyIDs ?? [], action: parsedAction, strike: strike ?? false, note: note)
    }
}

struct QueueView: Encodable {
    struct Item: Encodable {
        var caseId: String
        var subjectId: String
        var kind: String
        var category: String
        var severity: String
        var subjectState: String
        var weightedScore: Double
        var views: Int
        var liveViewers: Int
        var openedAt: String
        var deadlineAt: String
        var overdue: Bool
        var priority: Double
        var claimed: Bool
        var urgent: Bool
        var coordinationSuspected: Bool
        /// The detection rule that raised the case, if automation did.
        var detectedBy: String?
    }

    var cases: [Item]
    var asOf: String
    var nextCursor: String?

    init(entries: [QueueEntry], now: Timestamp, nextCursor: String?) {
        cases = entries.map { e in
            Item(caseId: e.record.id, subjectId: e.record.subjectID, kind: e.record.kind.rawValue, category: e.record.category,
                 severity: e.record.severity.rawValue, subjectState: e.subjectState.rawValue, weightedScore: e.weightedScore,
                 views: e.reach.views, liveViewers: e.reach.liveViewers, openedAt: e.record.openedAt.iso8601,
                 deadlineAt: e.record.deadlineAt.iso8601, overdue: e.record.isOverdue(at: now), priority: e.record.priority,
                 claimed: e.record.holder(at: now) != nil, urgent: e.record.urgent, coordinationSuspected: e.record.coordinationSuspected,
                 detectedBy: e.record.detectedBy)
        }
        asOf = now.iso8601
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey { case cases, asOf, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(cases, forKey: .cases)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

struct ClaimView: Encodable {
    var caseId: String
    var subjectId: String
    var heldBy: String
    var expiresAt: String?

    init(_ record: CaseRecord, moderator: AuthenticatedModerator) {
        caseId = record.id
        subjectId = record.subjectID
        heldBy = moderator.name
        expiresAt = record.claimExpiresAt?.iso8601
    }
}

struct DecisionView: Encodable {
    var decisionId: String
    var caseId: String
    var subjectId: String
    var outcome: String
    var policyIds: [String]
    var action: String?
    var strike: Bool
    var resultingState: String
    var policyVersion: String
    var decidedAt: String

    init(_ d: DecisionRecord) {
        decisionId = d.id
        caseId = d.caseID
        subjectId = d.subjectID
        outcome = d.outcome.rawValue
        policyIds = d.policyIDs
        action = d.action?.rawValue
        strike = d.strike
        resultingState = d.resultingState.rawValue
        policyVersion = d.policyVersion
        decidedAt = d.decidedAt.iso8601
    }
}
