import Hummingbird
import VigilCore

/// Authenticates the platform's API key on every `/v1` route. Scopes are checked per endpoint
/// (``VigilRequestContext/require(_:)``), so an endpoint states what it needs where it is written.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let keys: AccessKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw VigilError.unauthenticated(detail: "send an API key as 'Authorization: Bearer <key>'")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
            throw VigilError.unauthenticated(detail: "the Authorization header must use the Bearer scheme")
        }
        var context = context
        context.apiKey = try await keys.authenticate(String(header.dropFirst(prefix.count)))
        return try await next(request, context)
    }
}
