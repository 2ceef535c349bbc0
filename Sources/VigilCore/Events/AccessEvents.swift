/// `api_key.created`.
public struct KeyCreated: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.apiKeyCreated]
    public var keyId: String
    public var scopes: [String]
    public var label: String?

    public init(keyId: String, scopes: [String], label: String?) {
        self.keyId = keyId
        self.scopes = scopes
        self.label = label
    }
}

/// `api_key.revoked`.
public struct KeyRevoked: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.apiKeyRevoked]
    public var keyId: String

    public init(keyId: String) { self.keyId = keyId }
}

/// `moderator.added`.
public struct ModeratorAdded: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.moderatorAdded]
    public var moderatorId: String
    public var name: String
    public var role: ModeratorRole

    public init(moderatorId: String, name: String, role: ModeratorRole) {
        self.moderatorId = moderatorId
        self.name = name
        self.role = role
    }
}

/// `moderator.disabled`.
public struct ModeratorDisabled: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.moderatorDisabled]
    public var moderatorId: String

    public init(moderatorId: String) { self.moderatorId = moderatorId }
}

/// `moderator.role_changed`.
public struct ModeratorRoleChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.moderatorRoleChanged]
    public var moderatorId: String
    public var from: ModeratorRole
    public var to: ModeratorRole

    public init(moderatorId: String, from: ModeratorRole, to: ModeratorRole) {
        self.moderatorId = moderatorId
        self.from = from
        self.to = to
    }
}
