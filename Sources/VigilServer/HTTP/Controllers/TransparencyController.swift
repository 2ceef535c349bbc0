import Hummingbird
import VigilCore

/// `GET /v1/mod/transparency?from&to` (role admin): the transparency-report figures for a period.
struct TransparencyController {
    let reporting: TransparencyReporting

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("transparency", use: show)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.admin)
        let query = FormQuery(request)
        func date(_ field: String) throws(VigilError) -> Timestamp {
            guard let text = try query.get(field) else { throw .invalidField(field: field, detail: "is required: a date (YYYY-MM-DD) or ISO 8601 time") }
            guard let value = Timestamp.parse(text) else { throw .invalidField(field: field, detail: "'\(text.prefix(40))' is not a date (YYYY-MM-DD) or ISO 8601 time") }
            return value
        }
        return try JSONBody.response(try await reporting.report(from: try date("from"), to: try date("to")))
    }
}
