import Foundation
import Hummingbird
import VigilCore

/// Notices and the enforcement feed: `GET /v1/creators/{creator_id}/notices`,
/// `GET /v1/reporters/{reporter_id}/notices` and `GET /v1/enforcement-events`.
struct NoticesController {
    let notices: NoticesWorkflow

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("creators/{creator_id}/notices", use: creatorNotices)
        group.get("reporters/{reporter_id}/notices", use: reporterNotices)
        group.get("enforcement-events", use: enforcementEvents)
    }

    @Sendable func creatorNotices(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.noticesRead)
        return try await page(.creator(try context.pathID("creator_id")), request: request)
    }

    @Sendable func reporterNotices(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.noticesRead)
        return try await page(.reporter(try context.pathID("reporter_id")), request: request)
    }

    private func page(_ recipient: NoticesWorkflow.Recipient, request: Request) async throws -> Response {
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 50)
        let page = try await notices.notices(of: recipient, cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(NoticeListView(notices: page.notices.map(NoticeListView.Item.init), nextCursor: page.nextCursor))
    }

    @Sendable func enforcementEvents(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.eventsRead)
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 100)
        let page = try await notices.enforcementFeed(after: try query.get("after"), limit: limit)
        return try JSONBody.response(EnforcementFeedView(events: page.events.map(EnforcementFeedView.Item.init), nextCursor: page.nextCursor))
    }
}
