import Foundation
import VigilCore
import VigilStore

/// The platform's webhook endpoints: made, changed, deleted, their secrets rotated, messages
/// replayed, attempts listed. Each change is an audit event in its own transaction.
public struct WebhooksWorkflow: Sendable {
    let store: Store
    let keyring: ReporterKeyring
    let urlPolicy: OutgoingURLPolicy
    let clock: VigilClock
    /// Wakes the dispatcher after a replay, so queued messages go out at once.
    let nudge: @Sendable () -> Void

    /// Endpoints one Vigil keeps at most: each costs every deliverable event a delivery.
    static let maxEndpoints = 50
    static let maxDescriptionLength = 500
    /// How long a rotated-out secret keeps signing, by default and at most.
    static let defaultOverlapHours: Double = 24
    static let maxOverlapHours: Double = 168
    /// Messages one replay queues at most; the answer says where to go on from.
    static let maxReplay = 10_000
    static let maxAttemptsPage = 200

    /// What the platform asks for when it makes or changes an endpoint. Nil fields stay as they are
    /// (on a change) or take their default (on creation); `eventTypes` `.some(nil)` means every type.
    struct Changes: Sendable {
        var url: String?
        var eventTypes: [String]??
        var description: String??
        var enabled: Bool?
    }

    /// An endpoint with the secret it was made with, shown this once.
    struct Issued: Sendable {
        var endpoint: WebhookEndpointRecord
        var secret: String
    }

    func create(_ changes: Changes, keyID: String?) async throws -> Issued {
        guard let urlText = changes.url else { throw VigilError.invalidField(field: "url", detail: "is required") }
        let url = try validURL(urlText)
        let types = try validTypes(changes.eventTypes ?? nil)
        let description = try validDescription(changes.description ?? nil)
        let secret = WebhookSecret.generate()
        let now = clock.now()
        let endpoint = WebhookEndpointRecord(
            id: Identifier.make(prefix: "whk", at: now), url: url, description: description, eventTypes: types,
            enabled: changes.enabled ?? true, secretSeal: try keyring.seal(secret.rendered), createdAt: now, updatedAt: now)
        try await store.write { tx in
            guard try await tx.webhookEndpoints().count < Self.maxEndpoints else {
                throw VigilError.conflict(detail: "at most \(Self.maxEndpoints) webhook endpoints; delete one first")
            }
            try await tx.insertWebhookEndpoint(endpoint)
            try await tx.appendEvents([Self.changed(.webhookEndpointCreated, endpoint, keyID: keyID, at: now)])
        }
        return Issued(endpoint: endpoint, secret: secret.rendered)
    }

    func list() async throws -> [WebhookEndpointRecord] {
        try await store.read { try await $0.webhookEndpoints() }
    }

    func endpoint(id: String) async throws -> WebhookEndpointRecord {
        guard let endpoint = try await store.read({ try await $0.webhookEndpoint(id: id) }) else {
            throw VigilError.notFound(resource: "webhook endpoint", id: id)
        }
        return endpoint
    }

    /// Changes an endpoint. Enabling one that Vigil disabled clears why, and its failing streak;
    /// what was not queued meanwhile can be replayed.
    func update(id: String, _ changes: Changes, keyID: String?) async throws -> WebhookEndpointRecord {
        let url = try changes.url.map(validURL)
        let types = try changes.eventTypes.map(validTypes)
        let description = try changes.description.map(validDescription)
        let now = clock.now()
        return try await store.write { tx in
            guard var endpoint = try await tx.webhookEndpoint(id: id, forUpdate: true) else { throw VigilError.notFound(resource: "webhook endpoint", id: id) }
            if let url { endpoint.url = url }
            if let types { endpoint.eventTypes = types }
            if let description { endpoint.description = description }
            if let enabled = changes.enabled {
                if enabled && !endpoint.enabled {
                    endpoint.disabledReason = nil
                    endpoint.failingSince = nil
                }
                endpoint.enabled = enabled
            }
            endpoint.updatedAt = now
            try await tx.updateWebhookEndpoint(endpoint)
            try await tx.appendEvents([Self.changed(.webhookEndpointUpdated, endpoint, keyID: keyID, at: now)])
            return endpoint
        }
    }

    func delete(id: String, keyID: String?) async throws {
        let now = clock.now()
        try await store.write { tx in
            guard let endpoint = try await tx.webhookEndpoint(id: id, forUpdate: true) else {
                throw VigilError.notFound(resource: "webhook endpoint", id: id)
            }
            try await tx.deleteWebhookEndpoint(id: id, at: now)
            var gone = endpoint
            gone.enabled = false
            try await tx.appendEvents([Self.changed(.webhookEndpointDeleted, gone, keyID: keyID, at: now)])
        }
    }

    /// A new secret, shown once; the current one keeps signing beside it for `overlapHours`.
    func rotateSecret(id: String, overlapHours: Int?, keyID: String?) async throws -> Issued {
        let overlap = overlapHours.map(Double.init) ?? Self.defaultOverlapHours
        guard (0...Self.maxOverlapHours).contains(overlap) else {
            throw VigilError.invalidField(field: "overlap_hours", detail: "must be a number of hours from 0 to \(Int(Self.maxOverlapHours))")
        }
        let secret = WebhookSecret.generate()
        let sealed = try keyring.seal(secret.rendered)
        let now = clock.now()
        let endpoint = try await store.write { tx in
            guard var endpoint = try await tx.webhookEndpoint(id: id, forUpdate: true) else { throw VigilError.notFound(resource: "webhook endpoint", id: id) }
            let until = now.adding(seconds: overlap * 3_600)
            endpoint.previousSecretSeal = overlap > 0 ? endpoint.secretSeal : nil
            endpoint.previousUntil = overlap > 0 ? until : nil
            endpoint.secretSeal = sealed
            endpoint.updatedAt = now
            try await tx.updateWebhookEndpoint(endpoint)
            try await tx.appendEvents([AuditEventDraft(
                type: .webhookSecretRotated, subjectID: nil,
                payload: WebhookSecretRotated(endpointId: id, previousUntil: (overlap > 0 ? until : now).milliseconds, keyId: keyID), occurredAt: now)])
            return endpoint
        }
        return Issued(endpoint: endpoint, secret: secret.rendered)
    }

    /// Queues again every message since `since` that the endpoint receives, at most ``maxReplay``;
    /// `moreAfter` is where to go on from when more remain. The endpoint must be enabled.
    func replay(id: String, since: Timestamp, keyID: String?) async throws -> (count: Int, moreAfter: Timestamp?) {
        let now = clock.now()
        guard since <= now else { throw VigilError.invalidField(field: "since", detail: "must not be in the future") }
        let result = try await store.write { tx in
            guard let endpoint = try await tx.webhookEndpoint(id: id, forUpdate: true) else { throw VigilError.notFound(resource: "webhook endpoint", id: id) }
            guard endpoint.enabled else { throw VigilError.conflict(detail: "the endpoint is disabled; enable it before replaying") }
            let result = try await tx.replayWebhookMessages(to: endpoint, since: since, limit: Self.maxReplay, at: now)
            try await tx.appendEvents([AuditEventDraft(
                type: .webhookReplayRequested, subjectID: nil,
                payload: WebhookReplayRequested(endpointId: id, since: since.milliseconds, messages: result.count, keyId: keyID), occurredAt: now)])
            return result
        }
        nudge()
        return result
    }

    func attempts(id: String, cursor: String?, limit: Int) async throws -> (attempts: [WebhookAttemptRecord], nextCursor: String?) {
        guard (1...Self.maxAttemptsPage).contains(limit) else {
            throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxAttemptsPage)")
        }
        if let cursor { try Validate.identifier(cursor, field: "cursor") }
        _ = try await endpoint(id: id)
        let page = try await store.read { try await $0.webhookAttempts(endpointID: id, before: cursor, limit: limit + 1) }
        let shown = Array(page.prefix(limit))
        return (shown, page.count > limit ? shown.last?.id : nil)
    }

    /// The id a message's attempts carry (`webhook-id`), as the attempt list shows it.
    func messageID(_ seq: Int64) -> String { keyring.webhookMessageID(seq: seq) }

    // MARK: Validation

    private func validURL(_ text: String) throws -> String {
        switch urlPolicy.validate(text) {
        case .success: return text
        case .failure(let error): throw error
        }
    }

    private func validTypes(_ types: [String]?) throws -> [String]? {
        guard let types else { return nil }
        guard !types.isEmpty, types.count <= WebhookMessage.types.count else {
            throw VigilError.invalidField(field: "event_types", detail: "give one or more of \(WebhookMessage.types.joined(separator: ", ")), or null for all")
        }
        for type in types where !WebhookMessage.types.contains(type) {
            throw VigilError.invalidField(field: "event_types", detail: "'\(type.prefix(64))' is not a webhook event type; valid: \(WebhookMessage.types.joined(separator: ", "))")
        }
        return Array(Set(types)).sorted()
    }

    private func validDescription(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard text.count <= Self.maxDescriptionLength else {
            throw VigilError.invalidField(field: "description", detail: "must be at most \(Self.maxDescriptionLength) characters")
        }
        return text
    }

    private static func changed(_ type: AuditEventType, _ endpoint: WebhookEndpointRecord, keyID: String?, at now: Timestamp) -> AuditEventDraft {
        AuditEventDraft(
            type: type, subjectID: nil,
            payload: WebhookEndpointChanged(endpointId: endpoint.id, url: endpoint.url, eventTypes: endpoint.eventTypes, enabled: endpoint.enabled, keyId: keyID),
            occurredAt: now)
    }
}
