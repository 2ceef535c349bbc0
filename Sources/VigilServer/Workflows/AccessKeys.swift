import Crypto
import Foundation
import Synchronization
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

/// Platform API keys: `vgl_<id>_<secret>`. Only SHA-256 of the secret is stored; secrets are 256
/// random bits, so a fast hash is enough (no password stretching is needed for them).
public final class AccessKeys: Sendable {
    private let store: Store
    /// Authenticated keys, briefly cached so the hot path does not read the database per request.
    private let cache = Mutex<[String: (record: APIKeyRecord, fetched: ContinuousClock.Instant)]>([:])
    private let cacheLifetime: Duration

    public init(store: Store, cacheLifetime: Duration = .seconds(30)) {
        self.store = store
        self.cacheLifetime = cacheLifetime
    }

    public func create(scopes: [String], label: String?) async throws -> IssuedKey {
        let valid = Set(Scope.allCases.map(\.rawValue))
        if scopes.isEmpty {
            throw VigilError.invalidField(field: "scope", detail: "give at least one; valid scopes: \(valid.sorted().joined(separator: ", "))")
        }
        for scope in scopes where !valid.contains(scope) {
            throw VigilError.invalidField(field: "scope", detail: "'\(scope)' is not a scope; valid scopes: \(valid.sorted().joined(separator: ", "))")
        }
        let id = Hex.encode(randomBytes(6))
        let secret = Hex.encode(randomBytes(32))
        let record = APIKeyRecord(id: id, secretHash: Self.digest(secret), scopes: Set(scopes), label: label, revoked: false)
        let now = Timestamp.now()
        try await store.write { tx in
            try await tx.insertAPIKey(record, at: now)
            try await tx.appendEvents([AuditEventDraft(
                type: .apiKeyCreated, subjectID: nil,
                payload: KeyCreatedPayload(keyId: id, scopes: record.scopes.sorted(), label: label), occurredAt: now)])
        }
        return IssuedKey(id: id, token: "vgl_\(id)_\(secret)", scopes: record.scopes.sorted())
    }

    /// Checks a presented token. Unknown, malformed, revoked and wrong-secret tokens are refused
    /// alike, so the answer does not tell an attacker which part was wrong.
    public func authenticate(_ token: String) async throws -> AuthenticatedKey {
        let refused = VigilError.unauthenticated(detail: "the API key is not valid")
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "vgl", parts[1].count == 12, parts[2].count == 64 else { throw refused }
        let id = String(parts[1])
        let record: APIKeyRecord
        if let cached = cache.withLock({ $0[id] }), ContinuousClock.now - cached.fetched < cacheLifetime {
            record = cached.record
        } else {
            guard let stored = try await store.read({ try await $0.apiKey(id: id) }) else { throw refused }
            cache.withLock { $0[id] = (stored, ContinuousClock.now) }
            record = stored
        }
        guard !record.revoked, Self.constantTimeEqual(Self.digest(String(parts[2])), record.secretHash) else { throw refused }
        return AuthenticatedKey(id: record.id, scopes: record.scopes)
    }

    static func digest(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Compares without an early exit, so timing does not reveal how much of a hash matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    private func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

struct KeyCreatedPayload: Encodable {
    var keyId: String
    var scopes: [String]
    var label: String?
}
