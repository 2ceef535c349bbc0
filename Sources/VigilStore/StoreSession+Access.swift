import SQLKit
import VigilCore

/// A platform API key as stored: its public id, the SHA-256 of its secret, and its scopes.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var secretHash: String
    public var scopes: Set<String>
    public var label: String?
    public var revoked: Bool

    public init(id: String, secretHash: String, scopes: Set<String>, label: String?, revoked: Bool) {
        self.id = id
        self.secretHash = secretHash
        self.scopes = scopes
        self.label = label
        self.revoked = revoked
    }
}

/// A response stored under an idempotency key, replayed for retries of the same request.
public struct StoredResponse: Sendable, Equatable {
    public var fingerprint: String
    public var statusCode: Int
    public var body: String

    public init(fingerprint: String, statusCode: Int, body: String) {
        self.fingerprint = fingerprint
        self.statusCode = statusCode
        self.body = body
    }
}

/// An API key as an operator lists it: never its secret or hash.
public struct APIKeyListing: Sendable, Equatable {
    public var id: String
    public var scopes: [String]
    public var label: String?
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?
}

extension StoreSession {
    /// Every key, oldest first.
    public func apiKeyListing() async throws -> [APIKeyListing] {
        let rows = try await sql.select().columns("id", "scopes", "label", "created_at", "revoked_at")
            .from("api_keys").orderBy("created_at").orderBy("id").all()
        return try rows.map { row in
            APIKeyListing(
                id: try row.decode(column: "id", as: String.self),
                scopes: try row.decode(column: "scopes", as: String.self).split(separator: " ").map(String.init),
                label: try row.decode(column: "label", as: String?.self),
                createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
                revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Timestamp.init(milliseconds:)))
        }
    }

    /// Revokes a key that is not revoked yet; false if there is no such key or it was revoked before.
    public func revokeAPIKey(id: String, at time: Timestamp) async throws -> Bool {
        guard try await apiKey(id: id).map({ !$0.revoked }) == true else { return false }
        try await sql.update("api_keys").set("revoked_at", to: time.milliseconds).where("id", .equal, id).run()
        return true
    }

    public func insertAPIKey(_ key: APIKeyRecord, at time: Timestamp) async throws {
        try await sql.insert(into: "api_keys").columns("id", "secret_hash", "scopes", "label", "created_at")
            .values(key.id, key.secretHash, key.scopes.sorted().joined(separator: " "), key.label, time.milliseconds)
            .run()
    }

    public func apiKey(id: String) async throws -> APIKeyRecord? {
        guard let row = try await sql.select().columns("id", "secret_hash", "scopes", "label", "revoked_at")
            .from("api_keys").where("id", .equal, id).first()
        else { return nil }
        return APIKeyRecord(
            id: try row.decode(column: "id", as: String.self),
            secretHash: try row.decode(column: "secret_hash", as: String.self),
            scopes: Set(try row.decode(column: "scopes", as: String.self).split(separator: " ").map(String.init)),
            label: try row.decode(column: "label", as: String?.self),
            revoked: try row.decode(column: "revoked_at", as: Int64?.self) != nil)
    }

    /// Stored responses by scoped idempotency key.
    public func idempotentResponses(keys: some Collection<String>) async throws -> [String: StoredResponse] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await sql.select().columns("scoped_key", "fingerprint", "status_code", "response")
            .from("idempotency_keys").where("scoped_key", .in, Array(keys)).all()
        var result: [String: StoredResponse] = [:]
        for row in rows {
            result[try row.decode(column: "scoped_key", as: String.self)] = StoredResponse(
                fingerprint: try row.decode(column: "fingerprint", as: String.self),
                statusCode: try row.decode(column: "status_code", as: Int.self),
                body: try row.decode(column: "response", as: String.self))
        }
        return result
    }

    public func saveIdempotentResponses(_ responses: [String: StoredResponse], at time: Timestamp) async throws {
        guard !responses.isEmpty else { return }
        var insert = sql.insert(into: "idempotency_keys").columns("scoped_key", "fingerprint", "status_code", "response", "created_at")
        for (key, response) in responses.sorted(by: { $0.key < $1.key }) {
            insert = insert.values(key, response.fingerprint, response.statusCode, response.body, time.milliseconds)
        }
        try await insert.run()
    }
}
