import Foundation
import VigilCore
import VigilStore

// Request and response bodies of `/v1/webhooks`.

/// `POST /v1/webhooks` and `PATCH /v1/webhooks/{id}`. On a change, a field left out stays as it
/// is; `event_types: null` means every type, so it is told apart from a missing field.
struct WebhookEndpointBody: RequestBody {
    static let fields: Set<String> = ["url", "event_types", "description", "enabled"]

    var changes = WebhooksWorkflow.Changes()

    enum CodingKeys: String, CodingKey {
        case url, description, enabled
        case eventTypes = "event_types"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changes.url = try container.decodeIfPresent(String.self, forKey: .url)
        changes.enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        if container.contains(.eventTypes) {
            changes.eventTypes = .some(try container.decodeNil(forKey: .eventTypes) ? nil : try container.decode([String].self, forKey: .eventTypes))
        }
        if container.contains(.description) {
            changes.description = .some(try container.decodeNil(forKey: .description) ? nil : try container.decode(String.self, forKey: .description))
        }
    }
}

/// `POST /v1/webhooks/{id}/rotate-secret`.
struct RotateSecretBody: RequestBody {
    static let fields: Set<String> = ["overlap_hours"]
    var overlapHours: Int?

    enum CodingKeys: String, CodingKey { case overlapHours = "overlap_hours" }
}

/// An endpoint as the platform sees it: never its secret, except the once in ``IssuedEndpointView``.
struct WebhookEndpointView: Encodable {
    var id: String
    var url: String
    var description: String?
    /// Null: every type.
    var eventTypes: [String]?
    var enabled: Bool
    var disabledReason: String?
    var failingSince: String?
    /// While a rotated-out secret still signs beside the current one.
    var previousSecretUntil: String?
    var createdAt: String
    var updatedAt: String

    init(_ endpoint: WebhookEndpointRecord, now: Timestamp) {
        id = endpoint.id
        url = endpoint.url
        description = endpoint.description
        eventTypes = endpoint.eventTypes
        enabled = endpoint.enabled
        disabledReason = endpoint.disabledReason
        failingSince = endpoint.failingSince?.iso8601
        previousSecretUntil = endpoint.previousUntil.flatMap { $0 > now && endpoint.previousSecretSeal != nil ? $0.iso8601 : nil }
        createdAt = endpoint.createdAt.iso8601
        updatedAt = endpoint.updatedAt.iso8601
    }

    enum CodingKeys: String, CodingKey { case id, url, description, eventTypes, enabled, disabledReason, failingSince, previousSecretUntil, createdAt, updatedAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(url, forKey: .url)
        try container.encode(description, forKey: .description)
        try container.encode(eventTypes, forKey: .eventTypes)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(failingSince, forKey: .failingSince)
        try container.encode(previousSecretUntil, forKey: .previousSecretUntil)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// An endpoint just made, or whose secret was just rotated, with the secret: shown this once.
struct IssuedEndpointView: Encodable {
    var endpoint: WebhookEndpointView
    var secret: String
}

struct WebhookEndpointListView: Encodable {
    var endpoints: [WebhookEndpointView]
}

/// `POST /v1/webhooks/{id}/replay`: how many messages were queued again, and where to go on from
/// when the replay stopped at its bound.
struct ReplayView: Encodable {
    var replayed: Int
    var moreSince: String?

    enum CodingKeys: String, CodingKey { case replayed, moreSince }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(replayed, forKey: .replayed)
        try container.encode(moreSince, forKey: .moreSince)
    }
}

/// A page of an endpoint's delivery attempts, newest first.
struct WebhookAttemptListView: Encodable {
    struct Item: Encodable {
        var attemptId: String
        var messageId: String
        var attempt: Int
        var attemptedAt: String
        var outcome: String
        var statusCode: Int?
        var latencyMs: Int64
        var responseSnippet: String?
        var error: String?

        enum CodingKeys: String, CodingKey { case attemptId, messageId, attempt, attemptedAt, outcome, statusCode, latencyMs, responseSnippet, error }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(attemptId, forKey: .attemptId)
            try container.encode(messageId, forKey: .messageId)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(attemptedAt, forKey: .attemptedAt)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(statusCode, forKey: .statusCode)
            try container.encode(latencyMs, forKey: .latencyMs)
            try container.encode(responseSnippet, forKey: .responseSnippet)
            try container.encode(error, forKey: .error)
        }
    }

    var attempts: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case attempts, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
