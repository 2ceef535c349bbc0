import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// An RFC 9457 problem: the body of every error Vigil answers. `field` names the offending input.
struct Problem: Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var field: String?

    static let contentType = "application/problem+json"
}

/// The single place where ``VigilError`` becomes HTTP.
struct ProblemResponse: Error {
    var status: HTTPResponse.Status
    var problem: Problem
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, slug: String, title: String, detail: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.problem = Problem(type: "/problems/\(slug)", title: title, status: Int(status.code), detail: detail, field: field)
        self.headers = headers
    }

    init(_ error: VigilError) {
        switch error {
        case .malformedBody(let detail):
            self.init(status: .badRequest, slug: "malformed-body", title: "Malformed request body", detail: detail)
        case .invalidField(let field, let detail):
            self.init(status: .unprocessableContent, slug: "invalid-field", title: "Invalid field", detail: "\(field) \(detail)", field: field)
        case .payloadTooLarge(let limit):
            self.init(status: .contentTooLarge, slug: "payload-too-large", title: "Request body too large", detail: "the body must be at most \(limit) bytes")
        case .unsupportedMediaType(let expected):
            self.init(status: .unsupportedMediaType, slug: "unsupported-media-type", title: "Unsupported media type", detail: "send the body as \(expected)", field: "Content-Type")
        case .unauthenticated(let detail):
            self.init(status: .unauthorized, slug: "unauthenticated", title: "Authentication required", detail: detail, field: "Authorization", headers: [.wwwAuthenticate: "Bearer"])
        case .missingScope(let scope):
            self.init(status: .forbidden, slug: "missing-scope", title: "Missing scope", detail: "this API key lacks the scope '\(scope)'")
        case .forbiddenRole(let role, let allowed):
            self.init(status: .forbidden, slug: "forbidden-role", title: "Role not allowed",
                      detail: "the role '\(role)' may not do this; allowed: \((allowed + ["admin"]).joined(separator: ", "))")
        case .forbidden(let detail):
            self.init(status: .forbidden, slug: "forbidden", title: "Refused", detail: detail)
        case .notFound(let resource, let id):
            self.init(status: .notFound, slug: "not-found", title: "Not found", detail: "no \(resource) with id '\(id.prefix(256))'")
        case .unknownSubject(let id):
            self.init(status: .unprocessableContent, slug: "unknown-subject", title: "Unknown subject",
                      detail: "subject_id '\(id.prefix(256))' is not registered; register it with PUT /v1/subjects/{id} first", field: "subject_id")
        case .conflict(let detail):
            self.init(status: .conflict, slug: "conflict", title: "Conflict", detail: detail)
        case .idempotencyKeyReused:
            self.init(status: .unprocessableContent, slug: "idempotency-key-reused", title: "Idempotency key reused",
                      detail: "this Idempotency-Key was already used with a different request body", field: "Idempotency-Key")
        case .methodNotAllowed(let detail, let allowed):
            // An empty Allow says the resource answers no method at all (RFC 9110 §10.2.1).
            self.init(status: .methodNotAllowed, slug: "method-not-allowed", title: "Method not allowed", detail: detail,
                      headers: [.allow: allowed.joined(separator: ", ")])
        case .rateLimited(let seconds):
            self.init(status: .tooManyRequests, slug: "rate-limited", title: "Too many requests", detail: "retry after \(seconds) seconds",
                      headers: [.retryAfter: String(seconds)])
        case .unavailable(let detail):
            self.init(status: .serviceUnavailable, slug: "unavailable", title: "Service unavailable", detail: detail, headers: [.retryAfter: "1"])
        }
    }

    var response: Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data(#"{"status":500,"title":"Internal error"}"#.utf8)
        var fields = headers
        fields[.contentType] = Problem.contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
