import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The moderator API under `/v1/mod`: queue, claims, case view and decisions.
struct ModerationController {
    let review: ReviewWorkflow
    let policy: Policy
    /// How track records read as credibility in the report pages.
    let credibility: CredibilityModel

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
        filter.coordinated = try Self.flag(try query.get("coordinated"), field: "coordinated")
        filter.automated = try Self.flag(try query.get("automated"), field: "automated")
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
        return try JSONBody.response(CaseDetail(try await review.caseOverview(caseID: try context.pathID("id")), policy: policy))
    }

    @Sendable func reports(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.triage, .moderator, .appeals)
        let query = FormQuery(request)
        let limit = try Self.integer(try query.get("limit"), field: "limit", default: 50)
        let page = try await review.caseReports(caseID: try context.pathID("id"), reason: try query.get("reason"), cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(CaseReportPage(page, model: credibility))
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
