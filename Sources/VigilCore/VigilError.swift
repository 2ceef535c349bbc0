/// The one error type of Vigil. Every failure a caller can cause or observe is one of these cases;
/// the server maps each case to an HTTP status and an RFC 9457 problem body in exactly one place.
public enum VigilError: Error, Equatable, Sendable {
    /// The request body is not well-formed JSON (or not a JSON object).
    case malformedBody(detail: String)
    /// A field is missing, has the wrong type, or a value that is not allowed. `field` is the JSON path.
    case invalidField(field: String, detail: String)
    /// The body is larger than the endpoint accepts.
    case payloadTooLarge(limitBytes: Int)
    /// The request's content type is not one the endpoint reads.
    case unsupportedMediaType(expected: String)
    /// No credentials, or credentials that do not match a live key.
    case unauthenticated(detail: String)
    /// Valid credentials that lack the scope the endpoint needs.
    case missingScope(String)
    /// A moderator whose role does not admit them to the endpoint.
    case forbiddenRole(role: String, allowed: [String])
    /// A request refused for what it is rather than who sent it (a console form from another site, without its token).
    case forbidden(detail: String)
    /// The addressed resource does not exist.
    case notFound(resource: String, id: String)
    /// The report names a subject the platform never registered.
    case unknownSubject(id: String)
    /// The request conflicts with the current state of the resource.
    case conflict(detail: String)
    /// An idempotency key was reused with a different request body.
    case idempotencyKeyReused
    /// The method is not supported on this resource (reports are immutable, for instance).
    /// The method is not one the resource answers; `allowed` are the ones it does (maybe none).
    case methodNotAllowed(detail: String, allowed: [String])
    /// The caller has sent too many requests; retry after the given number of seconds.
    case rateLimited(retryAfterSeconds: Int)
    /// The storage engine is unreachable or refused the write; nothing was acknowledged.
    case unavailable(detail: String)
}

extension VigilError: CustomStringConvertible {
    /// Plain words for operators (the command line); the HTTP mapping builds its own problem bodies.
    public var description: String {
        switch self {
        case .malformedBody(let detail): detail
        case .invalidField(let field, let detail): "\(field) \(detail)"
        case .payloadTooLarge(let limit): "the body must be at most \(limit) bytes"
        case .unsupportedMediaType(let expected): "send the body as \(expected)"
        case .unauthenticated(let detail): detail
        case .missingScope(let scope): "missing scope '\(scope)'"
        case .forbiddenRole(let role, let allowed): "the role '\(role)' may not do this; allowed: \(allowed.joined(separator: ", "))"
        case .forbidden(let detail): detail
        case .notFound(let resource, let id): "no \(resource) with id '\(id)'"
        case .unknownSubject(let id): "subject '\(id)' is not registered"
        case .conflict(let detail): detail
        case .idempotencyKeyReused: "the idempotency key was used with a different request"
        case .methodNotAllowed(let detail, _): detail
        case .rateLimited(let seconds): "too many requests; retry after \(seconds) seconds"
        case .unavailable(let detail): detail
        }
    }
}
