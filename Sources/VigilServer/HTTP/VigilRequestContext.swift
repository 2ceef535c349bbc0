import Foundation
import Hummingbird
import VigilCore

/// The request context of every Vigil route: Hummingbird's core context plus the authenticated caller.
public struct VigilRequestContext: RequestContext {
    /// Request bodies above this size are refused with 413 before they are parsed.
    static let bodyLimit = 64 * 1024

    public var coreContext: CoreRequestContextStorage
    /// The API key that authenticated this request, once ``APIKeyMiddleware`` has run.
    public var apiKey: AuthenticatedKey?
    /// The moderator who authenticated this request, once ``ModeratorMiddleware`` has run.
    public var moderator: AuthenticatedModerator?
    /// The console session of this request, once ``ConsoleMiddleware`` has run.
    public var console: ConsoleSignedIn?
    /// A console form's fields, read and CSRF-checked by ``ConsoleMiddleware``.
    var consoleForm: FormQuery?
    /// The connected client's IP address (the proxy's, behind one), for per-address limits.
    let remoteAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { Self.bodyLimit }

    /// The authenticated key, if it holds `scope`; otherwise the request is refused.
    func require(_ scope: Scope) throws(VigilError) -> AuthenticatedKey {
        guard let apiKey else { throw .unauthenticated(detail: "send an API key as 'Authorization: Bearer <key>'") }
        guard apiKey.scopes.contains(scope.rawValue) else { throw .missingScope(scope.rawValue) }
        return apiKey
    }

    /// The authenticated moderator, if their role is among `roles` (admins are always admitted).
    func requireModerator(_ roles: ModeratorRole...) throws(VigilError) -> AuthenticatedModerator {
        guard let moderator else { throw .unauthenticated(detail: "send a moderator token as 'Authorization: Bearer <token>'") }
        guard moderator.role == .admin || roles.contains(moderator.role) else {
            throw .forbiddenRole(role: moderator.role.rawValue, allowed: roles.map(\.rawValue))
        }
        return moderator
    }

    /// A path parameter holding an id: percent-decoded (so `clip%2F1` is `clip/1` and `jos%C3%A9`
    /// is `josé`, as a client's URL encoder writes them), then validated like any id in a body.
    func pathID(_ name: String) throws(VigilError) -> String {
        let raw = (try? parameters.require(name)) ?? ""
        guard let decoded = raw.removingPercentEncoding else {
            throw .invalidField(field: name, detail: "is not valid percent-encoded UTF-8")
        }
        try Validate.identifier(decoded, field: name)
        return decoded
    }
}
