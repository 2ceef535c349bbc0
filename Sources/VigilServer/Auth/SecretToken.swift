import Crypto
import Foundation
import VigilCore

/// Bearer tokens of the form `<prefix>_<12 hex id>_<64 hex secret>`, shared by API keys and
/// moderator tokens. Only SHA-256 of the secret is stored: secrets are 256 random bits, so a fast
/// hash suffices (stretching protects guessable passwords, not random keys).
struct SecretToken: Sendable {
    var id: String
    var secret: String

    /// A new random token.
    static func generate() -> SecretToken {
        SecretToken(id: Hex.encode(randomBytes(6)), secret: Hex.encode(randomBytes(32)))
    }

    /// Parses a presented token, or nil if it is not of the expected shape.
    init?(parsing token: String, prefix: String) {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, parts[1].count == 12, parts[2].count == 64,
              parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit)
        else { return nil }
        self.init(id: String(parts[1]), secret: String(parts[2]))
    }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    func rendered(prefix: String) -> String { "\(prefix)_\(id)_\(secret)" }

    var secretHash: String { Hex.encode(SHA256.hash(data: Data(secret.utf8))) }

    /// Compares with a stored hash without an early exit, so timing does not reveal how much matched.
    func matches(storedHash: String) -> Bool {
        Self.constantTimeEqual(secretHash, storedHash)
    }

    /// Compares two secrets without an early exit (the console's CSRF tokens use it too).
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// A small time-bounded cache of stored credentials, so authentication does not read the database
/// on every request; a revoked or changed credential takes effect within `lifetime`.
final class CredentialCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, fetched: ContinuousClock.Instant)]>([:])
    private let lifetime: Duration

    init(lifetime: Duration) { self.lifetime = lifetime }

    func value(for id: String, load: () async throws -> Value?) async throws -> Value? {
        if let cached = entries.withLock({ $0[id] }), ContinuousClock.now - cached.fetched < lifetime { return cached.value }
        guard let loaded = try await load() else { return nil }
        entries.withLock { $0[id] = (loaded, ContinuousClock.now) }
        return loaded
    }

    /// Drops a credential at once, after a revocation on this node.
    func forget(_ id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}

import Synchronization
