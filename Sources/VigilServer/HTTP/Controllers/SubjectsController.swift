import Hummingbird
import VigilCore

/// `PUT /v1/subjects/{id}` and `GET /v1/subjects/{id}`.
struct SubjectsController {
    let subjects: SubjectWorkflow
    let policy: Policy

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.put("subjects/{id}", use: register)
        group.get("subjects/{id}", use: show)
    }

    @Sendable func register(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.subjectsWrite)
        let id = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(SubjectBody.self, from: request, context: context)
        let (subject, created) = try await subjects.register(try body.registration(id: id))
        return try JSONBody.response(SubjectView(subject, policy: policy), status: created ? .created : .ok)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.subjectsRead)
        let id = try context.pathID("id")
        return try JSONBody.response(SubjectView(try await subjects.subject(id: id), policy: policy))
    }
}
