import Foundation
import VigilCore
import VigilStore

/// The moderator behind a request.
public struct AuthenticatedModerator: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: ModeratorRole
}

/// Moderators and their tokens: ``SecretToken``s with the prefix `vmod`, stored hashed.
public final class ModeratorAccess: Sendable {
    private let store: Store
    private let clock: VigilClock
    private let cache: CredentialCache<ModeratorRecord>

    public init(store: Store, cacheLifetime: Duration = .seconds(30), clock: VigilClock = .system) {
        self.clock = clock
        self.store = store
        self.cache = CredentialCache(lifetime: cacheLifetime)
    }

    /// Adds a moderator; returns the id and the token, which is shown once.
    public func add(name: String, role: String) async throws -> (id: String, token: String) {
        try Validate.text(name, field: "name", max: 128)
        guard let role = ModeratorRole(rawValue: role) else {
            throw VigilError.invalidField(field: "role", detail: "must be one of: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let token = SecretToken.generate()
        let record = ModeratorRecord(id: token.id, name: name, role: role, tokenHash: token.secretHash, disabled: false)
        let now = clock.now()
        try await store.write { tx in
            if try await tx.moderator(named: name) != nil {
                throw VigilError.conflict(detail: "name: a moderator named '\(name)' exists already")
            }
            try await tx.insertModerator(record, at: now)
            try await tx.appendEvents([AuditEventDraft(
                type: .moderatorAdded, subjectID: nil, payload: ModeratorAdded(moderatorId: record.id, name: name, role: role), occurredAt: now)])
        }
        return (record.id, token.rendered(prefix: "vmod"))
    }

    /// Every moderator: name, id, role and whether they are disabled; never a token hash.
    public func list() async throws -> [ModeratorRecord] {
        try await store.read { try await $0.moderatorList() }.map { var record = $0; record.tokenHash = ""; return record }
    }

    /// Disables a moderator by name, as an audit event: their token stops working (on other nodes
    /// within the credential cache's lifetime). Their past decisions stand.
    public func disable(name: String) async throws {
        let now = clock.now()
        let id = try await store.write { tx in
            guard let record = try await tx.moderator(named: name), try await tx.disableModerator(id: record.id, at: now) else {
                throw VigilError.notFound(resource: "enabled moderator", id: name)
            }
            try await tx.appendEvents([AuditEventDraft(type: .moderatorDisabled, subjectID: nil, payload: ModeratorDisabled(moderatorId: record.id), occurredAt: now)])
            return record.id
        }
        cache.forget(id)
    }

    /// Changes a moderator's role, as an audit event naming both roles. Takes effect on this node
    /// at once and on others within the credential cache's lifetime.
    public func setRole(name: String, role: String) async throws {
        guard let role = ModeratorRole(rawValue: role) else {
            throw VigilError.invalidField(field: "role", detail: "must be one of: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let now = clock.now()
        let id = try await store.write { tx in
            guard let record = try await tx.moderator(named: name) else { throw VigilError.notFound(resource: "moderator", id: name) }
            guard record.role != role else { throw VigilError.conflict(detail: "\(name) has the role \(role.rawValue) already") }
            try await tx.setModeratorRole(id: record.id, role: role)
            try await tx.appendEvents([AuditEventDraft(type: .moderatorRoleChanged, subjectID: nil,
                                                       payload: ModeratorRoleChanged(moderatorId: record.id, from: record.role, to: role), occurredAt: now)])
            return record.id
        }
        cache.forget(id)
    }

    /// An enabled moderator by id, as the token check reads them (cached likewise): the console's
    /// sessions name their moderator, whose role and standing are looked up on each request.
    public func enabled(id: String) async throws -> AuthenticatedModerator? {
        guard let record = try await cache.value(for: id, load: { try await store.read { try await $0.moderator(id: id) } }), !record.disabled else { return nil }
        return AuthenticatedModerator(id: record.id, name: record.name, role: record.role)
    }

    public func authenticate(_ presented: String) async throws -> AuthenticatedModerator {
        guard let token = SecretToken(parsing: presented, prefix: "vmod"),
              let record = try await cache.value(for: token.id, load: { try await store.read { try await $0.moderator(id: token.id) } }),
              !record.disabled, token.matches(storedHash: record.tokenHash)
        else { throw VigilError.unauthenticated(detail: "the moderator token is not valid") }
        return AuthenticatedModerator(id: record.id, name: record.name, role: record.role)
    }
}


