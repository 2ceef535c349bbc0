import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// `POST /v1/appeals` and `GET /v1/creators/{creator_id}/appeals` for the platform.
struct AppealsController {
    let appeals: AppealsWorkflow

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("appeals", use: file)
        group.get("creators/{creator_id}/appeals", use: list)
    }

    @Sendable func file(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.appealsWrite)
        let (body, _) = try await JSONBody.decode(AppealBody.self, from: request, context: context)
        let appellant: AppealsWorkflow.Appellant
        switch (body.creatorID, body.reporterID) {
        case (let creator?, nil): appellant = .creator(creator)
        case (nil, let reporter?): appellant = .reporter(reporter)
        case (nil, nil): throw VigilError.invalidField(field: "creator_id", detail: "is required (or reporter_id, for a reporter contesting a decision not to act)")
        case (.some, .some): throw VigilError.invalidField(field: "reporter_id", detail: "give creator_id or reporter_id, not both")
        }
        let contested: AppealsWorkflow.Contested
        switch (body.decisionID, body.measureID, body.reportID) {
        case (let decision?, nil, nil): contested = .decision(decision)
        case (nil, let measure?, nil): contested = .misuseMeasure(measure)
        case (nil, nil, let report?): contested = .reportDecision(reportID: report)
        case (nil, nil, nil):
            throw VigilError.invalidField(field: "decision_id", detail: "is required (or report_id, for a reporter contesting the decision on their report; or measure_id, for a misuse warning or suspension)")
        default: throw VigilError.invalidField(field: "measure_id", detail: "give one of decision_id, report_id and measure_id")
        }
        let appeal = try await appeals.file(contesting: contested, appellant: appellant, statement: body.statement)
        return try JSONBody.response(AppealView(appeal, showAppellant: false), status: .created)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.noticesRead)
        let creatorID = try context.pathID("creator_id")
        return try JSONBody.response(["appeals": try await appeals.appeals(ofCreator: creatorID).map { AppealView($0, showAppellant: false) }])
    }
}

/// `/v1/mod/appeals`: the appeals queue, claims and decisions (roles appeals, admin).
struct AppealsReviewController {
    let appeals: AppealsWorkflow

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("appeals", use: queue)
        group.post("appeals/{id}/claim", use: claim)
        group.post("appeals/{id}/decision", use: decide)
    }

    @Sendable func queue(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.appeals)
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 50)
        let page = try await appeals.queue(cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(AppealPageView(appeals: page.appeals.map { AppealView($0, showAppellant: true) }, nextCursor: page.nextCursor))
    }

    @Sendable func claim(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.appeals)
        let appeal = try await appeals.claim(appealID: try context.pathID("id"), by: moderator)
        return try JSONBody.response(AppealView(appeal, showAppellant: true))
    }

    @Sendable func decide(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.appeals)
        let (body, _) = try await JSONBody.decode(AppealDecisionBody.self, from: request, context: context)
        guard let outcome = AppealOutcome(rawValue: body.outcome) else {
            throw VigilError.invalidField(field: "outcome", detail: "must be one of: granted, denied")
        }
        let appeal = try await appeals.decide(appealID: try context.pathID("id"), by: moderator, outcome: outcome, note: body.note)
        return try JSONBody.response(AppealView(appeal, showAppellant: true))
    }
}
