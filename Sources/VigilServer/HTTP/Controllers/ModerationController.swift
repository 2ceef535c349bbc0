import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The moderator API under `/v1/mod`: queue, claims, case view and decisions.
struct ModerationController {
    let review: ReviewWorkflow
    let policy: Policy

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("queue", use: queue)
        group.post("queue/next", use: next)
        group.get("cases/{id}", use: show)
        group.get("cases/{id}/reports", use: reports)
        group.post("cases/{id}/claim", use: claim)
        group.post("cases/{id}/release", use: release)
        group.post("cases/{id}/decision", use: decide)
    }

    @Sendable func queue(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.triage, .moderator)
        let query = FormQuery(request)
        var filter = QueueFilter()
        if let kind = try query.get("kind") {
            guard let parsed = SubjectKind(rawValue: kind) else { throw VigilError.invalidField(field: "kind", detail: "must be one of: \(SubjectKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            filter.kind = parsed
        }
        if let state = try query.get("state") {
            guard let parsed = VisibilityState(rawValue: state) else { throw VigilError.invalidField(field: "state", detail: "must be one of: \(VisibilityState.allCases.map(\.rawValue).joined(separator: ", "))") }
            filter.state = parsed
        }
        filter.category = try query.get("category")
        filter.overdue = try Self.flag(try query.get("overdue"), field: "overdue")
        filter.claimed = try Self.flag(try query.get("claimed"), field: "claimed")
        let limit = try Self.integer(try query.get("limit"), field: "limit", default: 50)
        let page = try await review.queue(filter: filter, cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(QueueView(entries: page.entries, now: page.now, nextCursor: page.nextCursor))
    }

    @Sendable func next(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.moderator)
        guard let claimed = try await review.claimNext(by: moderator) else { return Response(status: .noContent) }
        return try JSONBody.response(ClaimView(claimed, moderator: moderator))
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.triage, .moderator, .appeals)
        return try JSONBody.response(try await review.caseDetail(caseID: try context.pathID("id")))
    }

    @Sendable func reports(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.triage, .moderator, .appeals)
        let query = FormQuery(request)
        let limit = try Self.integer(try query.get("limit"), field: "limit", default: 50)
        return try JSONBody.response(try await review.caseReports(
            caseID: try context.pathID("id"), reason: try query.get("reason"), cursor: try query.get("cursor"), limit: limit))
    }

    @Sendable func claim(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.moderator)
        let claimed = try await review.claim(caseID: try context.pathID("id"), by: moderator)
        return try JSONBody.response(ClaimView(claimed, moderator: moderator))
    }

    @Sendable func release(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.moderator)
        try await review.release(caseID: try context.pathID("id"), by: moderator)
        return Response(status: .noContent)
    }

    @Sendable func decide(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.moderator)
        let caseID = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(DecisionBody.self, from: request, context: context)
        let decision = try await review.decide(caseID: caseID, by: moderator, try body.input())
        return try JSONBody.response(DecisionView(decision), status: .created)
    }

    static func flag(_ text: String?, field: String) throws(VigilError) -> Bool? {
        switch text {
        case nil: nil
        case "true": true
        case "false": false
        default: throw .invalidField(field: field, detail: "must be true or false")
        }
    }

    static func integer(_ text: String?, field: String, default value: Int) throws(VigilError) -> Int {
        guard let text else { return value }
        guard let parsed = Int(text) else { throw .invalidField(field: field, detail: "must be an integer") }
        return parsed
    }
}

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
                 claimed: e.record.holder(at: now) != nil)
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
