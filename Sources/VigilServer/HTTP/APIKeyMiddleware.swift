import Hummingbird
import VigilCore

/// Authenticates the platform's API key on every platform route. Scopes are checked per endpoint
/// (``VigilRequestContext/require(_:)``), so an endpoint states what it needs where it is written.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let keys: AccessKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.apiKey = try await keys.authenticate(try bearerToken(request, what: "an API key"))
        return try await next(request, context)
    }
}

/// Authenticates a moderator token on every `/v1/mod` route; roles are checked per endpoint.
struct ModeratorMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let moderators: ModeratorAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.moderator = try await moderators.authenticate(try bearerToken(request, what: "a moderator token"))
        return try await next(request, context)
    }
}

/// The token of an `Authorization: Bearer …` header.
func bearerToken(_ request: Request, what: String) throws(VigilError) -> String {
    guard let header = request.headers[.authorization] else {
        throw .unauthenticated(detail: "send \(what) as 'Authorization: Bearer <token>'")
    }
    let prefix = "Bearer "
    guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased() else {
        throw .unauthenticated(detail: "the Authorization header must use the Bearer scheme")
    }
    return String(header.dropFirst(prefix.count))
}
