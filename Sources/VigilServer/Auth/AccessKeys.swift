import Foundation
import VigilCore
import VigilStore

/// What an API key may do. A key holds a set of scopes; each endpoint requires one.
public enum Scope: String, CaseIterable, Sendable {
    case subjectsWrite = "subjects:write"
    case subjectsRead = "subjects:read"
    case reportsWrite = "reports:write"
    case reportsRead = "reports:read"
    /// Lets the platform file reports on the `trusted_flagger` channel for flaggers it has vetted.
    case reportsTrusted = "reports:trusted"
    /// Read creators' statements of reasons and reporters' notices.
    case noticesRead = "notices:read"
    /// Read the enforcement-events feed.
    case eventsRead = "events:read"
    /// File appeals on behalf of creators and reporters.
    case appealsWrite = "appeals:write"
    /// Scrape `/metrics`.
    case metricsRead = "metrics:read"
    /// Manage webhook endpoints: make, change, delete, rotate secrets, replay, read attempts.
    case webhooksManage = "webhooks:manage"
    /// Push signals about subjects' content (the platform's own classifiers and hash matches).
    case signalsWrite = "signals:write"
}

/// The caller behind a request: the key's public id and its scopes.
public struct AuthenticatedKey: Sendable, Equatable {
    public var id: String
    public var scopes: Set<String>
}

/// A newly made API key. `secret` is shown once and never stored.
public struct IssuedKey: Sendable {
    public var id: String
    public var token: String
    public var scopes: [String]
}

/// Platform API keys: ``SecretToken``s with the prefix `vgl`.
public final class AccessKeys: Sendable {
    private let store: Store
    private let clock: VigilClock
    private let cache: CredentialCache<APIKeyRecord>

    public init(store: Store, cacheLifetime: Duration = .seconds(30), clock: VigilClock = .system) {
        self.clock = clock
        self.store = store
        self.cache = CredentialCache(lifetime: cacheLifetime)
    }

    public func create(scopes: [String], label: String?) async throws -> IssuedKey {
        let valid = Set(Scope.allCases.map(\.rawValue))
        if scopes.isEmpty {
            throw VigilError.invalidField(field: "scope", detail: "give at least one; valid scopes: \(valid.sorted().joined(separator: ", "))")
        }
        for scope in scopes where !valid.contains(scope) {
            throw VigilError.invalidField(field: "scope", detail: "'\(scope)' is not a scope; valid scopes: \(valid.sorted().joined(separator: ", "))")
        }
        let token = SecretToken.generate()
        let record = APIKeyRecord(id: token.id, secretHash: token.secretHash, scopes: Set(scopes), label: label, revoked: false)
        let now = clock.now()
        try await store.write { tx in
            try await tx.insertAPIKey(record, at: now)
            try await tx.appendEvents([AuditEventDraft(
                type: .apiKeyCreated, subjectID: nil,
                payload: KeyCreated(keyId: record.id, scopes: record.scopes.sorted(), label: label), occurredAt: now)])
        }
        return IssuedKey(id: token.id, token: token.rendered(prefix: "vgl"), scopes: record.scopes.sorted())
    }

    /// Every key with its scopes and whether it is revoked; never a secret.
    public func list() async throws -> [APIKeyListing] {
        try await store.read { try await $0.apiKeyListing() }
    }

    /// Revokes a key for good, as an audit event. Every node refuses it once its credential cache
    /// lets go of it (at most the cache lifetime, 30 s by default); this node at once.
    public func revoke(id: String) async throws {
        let now = clock.now()
        try await store.write { tx in
            guard try await tx.revokeAPIKey(id: id, at: now) else {
                throw VigilError.notFound(resource: "unrevoked API key", id: id)
            }
            try await tx.appendEvents([AuditEventDraft(type: .apiKeyRevoked, subjectID: nil, payload: KeyRevoked(keyId: id), occurredAt: now)])
        }
        cache.forget(id)
    }

    /// Checks a presented token. Unknown, malformed, revoked and wrong-secret tokens are refused
    /// alike, so the answer does not tell an attacker which part was wrong.
    public func authenticate(_ presented: String) async throws -> AuthenticatedKey {
        let refused = VigilError.unauthenticated(detail: "the API key is not valid")
        guard let token = SecretToken(parsing: presented, prefix: "vgl"),
              let record = try await cache.value(for: token.id, load: { try await store.read { try await $0.apiKey(id: token.id) } }),
              !record.revoked, token.matches(storedHash: record.secretHash)
        else { throw refused }
        return AuthenticatedKey(id: record.id, scopes: record.scopes)
    }
}


