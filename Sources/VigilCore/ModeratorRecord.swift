import Foundation

/// A moderator as stored: a name, a role, and the SHA-256 of their token's secret.
public struct ModeratorRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: ModeratorRole
    public var tokenHash: String
    public var disabled: Bool

    public init(id: String, name: String, role: ModeratorRole, tokenHash: String, disabled: Bool) {
        self.id = id
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.disabled = disabled
    }
}
