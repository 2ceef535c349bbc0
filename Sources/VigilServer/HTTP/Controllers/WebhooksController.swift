import Hummingbird
import VigilCore

/// `/v1/webhooks`: the platform's webhook endpoints (scope `webhooks:manage`).
struct WebhooksController {
    let webhooks: WebhooksWorkflow
    let clock: VigilClock

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("webhooks", use: create)
        group.get("webhooks", use: list)
        group.get("webhooks/{id}", use: show)
        group.patch("webhooks/{id}", use: update)
        group.delete("webhooks/{id}", use: delete)
        group.post("webhooks/{id}/rotate-secret", use: rotate)
        group.post("webhooks/{id}/replay", use: replay)
        group.get("webhooks/{id}/attempts", use: attempts)
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.webhooksManage)
        let (body, _) = try await JSONBody.decode(WebhookEndpointBody.self, from: request, context: context)
        let issued = try await webhooks.create(body.changes, keyID: key.id)
        return try JSONBody.response(IssuedEndpointView(endpoint: WebhookEndpointView(issued.endpoint, now: clock.now()), secret: issued.secret), status: .created)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.webhooksManage)
        let now = clock.now()
        return try JSONBody.response(WebhookEndpointListView(endpoints: try await webhooks.list().map { WebhookEndpointView($0, now: now) }))
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.webhooksManage)
        return try JSONBody.response(WebhookEndpointView(try await webhooks.endpoint(id: try context.pathID("id")), now: clock.now()))
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.webhooksManage)
        let id = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(WebhookEndpointBody.self, from: request, context: context)
        return try JSONBody.response(WebhookEndpointView(try await webhooks.update(id: id, body.changes, keyID: key.id), now: clock.now()))
    }

    @Sendable func delete(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.webhooksManage)
        try await webhooks.delete(id: try context.pathID("id"), keyID: key.id)
        return Response(status: .noContent)
    }

    @Sendable func rotate(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.webhooksManage)
        let id = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(RotateSecretBody.self, from: request, context: context)
        let issued = try await webhooks.rotateSecret(id: id, overlapHours: body.overlapHours, keyID: key.id)
        return try JSONBody.response(IssuedEndpointView(endpoint: WebhookEndpointView(issued.endpoint, now: clock.now()), secret: issued.secret))
    }

    @Sendable func replay(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let key = try context.require(.webhooksManage)
        let id = try context.pathID("id")
        guard let text = try FormQuery(request).get("since") else { throw VigilError.invalidField(field: "since", detail: "is required (an ISO 8601 time)") }
        guard let since = Timestamp.parse(text) else { throw VigilError.invalidField(field: "since", detail: "must be an ISO 8601 time such as 2026-11-30T12:00:00Z") }
        let result = try await webhooks.replay(id: id, since: since, keyID: key.id)
        return try JSONBody.response(ReplayView(replayed: result.count, moreSince: result.moreAfter?.iso8601), status: .accepted)
    }

    @Sendable func attempts(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.webhooksManage)
        let id = try context.pathID("id")
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 50)
        let page = try await webhooks.attempts(id: id, cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(WebhookAttemptListView(
            attempts: page.attempts.map { attempt in
                WebhookAttemptListView.Item(
                    attemptId: attempt.id, messageId: webhooks.messageID(attempt.messageSeq), attempt: attempt.attempt,
                    attemptedAt: attempt.attemptedAt.iso8601, outcome: attempt.outcome.rawValue, statusCode: attempt.statusCode,
                    latencyMs: attempt.latencyMilliseconds, responseSnippet: attempt.responseSnippet, error: attempt.error)
            },
            nextCursor: page.nextCursor))
    }
}
