import Hummingbird
import VigilCore

/// `POST /v1/subjects/{id}/signals` (scope `signals:write`): the platform's own classifier scores,
/// hash matches, text matches and metadata about a subject, batched and idempotent per
/// `(source, id)`. The rules are evaluated on them before the answer.
struct SignalsController {
    let detection: DetectionWorkflow

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("subjects/{id}/signals", use: record)
    }

    @Sendable func record(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.signalsWrite)
        let id = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(SignalsBody.self, from: request, context: context)
        let outcome = try await detection.record(subjectID: id, signals: try body.signals(subjectID: id))
        return try JSONBody.response(SignalsView(outcome), status: outcome.recorded > 0 ? .created : .ok)
    }
}
