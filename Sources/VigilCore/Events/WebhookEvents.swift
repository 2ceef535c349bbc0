/// `webhook.endpoint_created`, `webhook.endpoint_updated`, `webhook.endpoint_deleted`: an endpoint
/// as it stands after the change. Never its secret.
public struct WebhookEndpointChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.webhookEndpointCreated, .webhookEndpointUpdated, .webhookEndpointDeleted]
    public var endpointId: String
    public var url: String
    /// The event types it receives; nil for all of them.
    public var eventTypes: [String]?
    public var enabled: Bool
    /// The API key that made the change.
    public var keyId: String?

    public init(endpointId: String, url: String, eventTypes: [String]?, enabled: Bool, keyId: String?) {
        self.endpointId = endpointId
        self.url = url
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.keyId = keyId
    }
}

/// `webhook.secret_rotated`: a new signing secret; the previous one still signs until `previousUntil`.
public struct WebhookSecretRotated: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.webhookSecretRotated]
    public var endpointId: String
    /// Milliseconds since 1970.
    public var previousUntil: Int64
    public var keyId: String?

    public init(endpointId: String, previousUntil: Int64, keyId: String?) {
        self.endpointId = endpointId
        self.previousUntil = previousUntil
        self.keyId = keyId
    }
}

/// `webhook.endpoint_disabled`: Vigil stopped delivering to an endpoint on its own, because the
/// receiver answered `410 Gone` or failed every delivery for the disabling period.
public struct WebhookEndpointDisabled: EventPayload {
    public enum Reason: String, Codable, Sendable { case gone, failing }
    public static let eventTypes: Set<AuditEventType> = [.webhookEndpointDisabled]
    public var endpointId: String
    public var reason: Reason
    /// Milliseconds since 1970: when the failures began (for `failing`).
    public var failingSince: Int64?

    public init(endpointId: String, reason: Reason, failingSince: Int64?) {
        self.endpointId = endpointId
        self.reason = reason
        self.failingSince = failingSince
    }
}

/// `webhook.replay_requested`: messages since `since` queued again for one endpoint.
public struct WebhookReplayRequested: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.webhookReplayRequested]
    public var endpointId: String
    /// Milliseconds since 1970.
    public var since: Int64
    public var messages: Int
    public var keyId: String?

    public init(endpointId: String, since: Int64, messages: Int, keyId: String?) {
        self.endpointId = endpointId
        self.since = since
        self.messages = messages
        self.keyId = keyId
    }
}
