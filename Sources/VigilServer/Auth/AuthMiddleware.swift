import Hummingbird
import VigilCore

/// Authenticates the platform's API key on every platform route. Scopes are checked per endpoint
/// (``VigilRequestContext/require(_:)``), so an endpoint states what it needs where it is written.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let keys: AccessKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.apiKey = try await logFailure(credential: "api_key", context: context) {
            try await keys.authenticate(try bearerToken(request, what: "an API key"))
        }
        return try await next(request, context)
    }
}

/// Authenticates a moderator token on every `/v1/mod` route; roles are checked per endpoint.
struct ModeratorMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let moderators: ModeratorAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.moderator = try await logFailure(credential: "moderator_token", context: context) {
            try await moderators.authenticate(try bearerToken(request, what: "a moderator token"))
        }
        return try await next(request, context)
    }
}

/// Leaves a trail of refused credentials at `notice`: which kind, on which route, and why in the
/// words the caller got. Never the token or the concrete path.
private func logFailure<T>(credential: String, context: VigilRequestContext, _ authenticate: () async throws -> T) async throws -> T {
    do {
        return try await authenticate()
    } catch let error as VigilError {
        if case .unauthenticated(let detail) = error {
            context.logger.notice("authentication failed", metadata: [
                "credential": "\(credential)", "route": "\(context.endpointPath ?? "unmatched")", "reason": "\(detail)",
            ])
        }
        throw error
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
