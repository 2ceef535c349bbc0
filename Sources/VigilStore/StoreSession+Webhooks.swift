import SQLKit
import VigilCore

/// A webhook endpoint as stored. Its signing secrets are sealed (AES-GCM under the seal key), not
/// hashed as API keys are: Vigil must sign every delivery with them.
public struct WebhookEndpointRecord: Sendable, Equatable {
    public var id: String
    public var url: String
    public var description: String?
    /// The message types it receives; nil for every type.
    public var eventTypes: [String]?
    public var enabled: Bool
    public var secretSeal: String
    /// The secret before the last rotation, still signing beside the new one until `previousUntil`.
    public var previousSecretSeal: String?
    public var previousUntil: Timestamp?
    /// Why Vigil disabled it on its own (`gone`, `failing`); nil when enabled, or disabled by the platform.
    public var disabledReason: String?
    /// Since when every delivery to it failed; nil after a success.
    public var failingSince: Timestamp?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(id: String, url: String, description: String?, eventTypes: [String]?, enabled: Bool, secretSeal: String,
                previousSecretSeal: String? = nil, previousUntil: Timestamp? = nil, disabledReason: String? = nil,
                failingSince: Timestamp? = nil, createdAt: Timestamp, updatedAt: Timestamp) {
        self.id = id
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.secretSeal = secretSeal
        self.previousSecretSeal = previousSecretSeal
        self.previousUntil = previousUntil
        self.disabledReason = disabledReason
        self.failingSince = failingSince
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether messages of `type` are delivered to it (when enabled).
    public func receives(_ type: String) -> Bool {
        eventTypes.map { $0.contains(type) } ?? true
    }
}

/// A message in the webhook outbox: which event or notice to deliver. The body is composed from
/// that source at each attempt; sources never change, so every attempt sends the same bytes.
public struct WebhookMessage: Sendable, Equatable {
    public enum Source: String, Sendable { case event, notice }
    /// The type of a message for a creator's notice (event messages take their event's type).
    public static let noticeType = "notice.issued"
    /// Every type a message can have: what an endpoint may subscribe to.
    public static let types: [String] = AuditEventType.enforcement.map(\.rawValue) + [noticeType]
    /// Its place in the outbox: messages are numbered in commit order.
    public var seq: Int64
    public var type: String
    public var source: Source
    /// The audit sequence number (for an event) or notice id.
    public var sourceRef: String
    public var createdAt: Timestamp

    public init(seq: Int64, type: String, source: Source, sourceRef: String, createdAt: Timestamp) {
        self.seq = seq
        self.type = type
        self.source = source
        self.sourceRef = sourceRef
        self.createdAt = createdAt
    }
}

/// A delivery claimed for one attempt: its message and how many attempts came before.
public struct ClaimedDelivery: Sendable, Equatable {
    public var message: WebhookMessage
    public var attempts: Int
}

/// One delivery attempt as recorded (and listed to the platform).
public struct WebhookAttemptRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable { case delivered, failed }
    public var id: String
    public var endpointID: String
    public var messageSeq: Int64
    /// 1 for the first attempt.
    public var attempt: Int
    public var attemptedAt: Timestamp
    public var outcome: Outcome
    public var statusCode: Int?
    public var latencyMilliseconds: Int64
    /// The first bytes of the receiver's answer, as text.
    public var responseSnippet: String?
    /// Why no answer came (timeout, refused connection, refused address).
    public var error: String?

    public init(id: String, endpointID: String, messageSeq: Int64, attempt: Int, attemptedAt: Timestamp, outcome: Outcome,
                statusCode: Int?, latencyMilliseconds: Int64, responseSnippet: String?, error: String?) {
        self.id = id
        self.endpointID = endpointID
        self.messageSeq = messageSeq
        self.attempt = attempt
        self.attemptedAt = attemptedAt
        self.outcome = outcome
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.responseSnippet = responseSnippet
        self.error = error
    }
}

/// What becomes of a delivery after an attempt.
public enum DeliveryNext: Sendable, Equatable {
    case delivered
    case retry(at: Timestamp)
    /// No attempt left in the schedule: the delivery failed for good (a replay can queue it again).
    case exhausted
}

extension StoreSession {
    // MARK: Outbox

    /// Adds messages to the outbox, numbered after the last one. Called inside the transaction
    /// that writes their events or notices; on PostgreSQL that transaction holds the audit-chain
    /// head, so messages commit in the order of their numbers.
    func appendWebhookMessages(_ drafts: [(type: String, source: WebhookMessage.Source, ref: String, at: Timestamp)]) async throws {
        guard !drafts.isEmpty else { return }
        let last = try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS seq FROM webhook_messages").first()?.decode(column: "seq", as: Int64.self) ?? 0
        for (offset, chunk) in drafts.chunked(into: 1_000).enumerated() {
            var insert = sql.insert(into: "webhook_messages").columns("seq", "type", "source", "source_ref", "created_at")
            for (index, draft) in chunk.enumerated() {
                insert = insert.values(last + Int64(offset * 1_000 + index + 1), draft.type, draft.source.rawValue, draft.ref, draft.at.milliseconds)
            }
            try await insert.run()
        }
        effects?.outboxWritten.store(true, ordering: .relaxed)
    }

    /// Moves the outbox's fan-out cursor over up to `limit` new messages, queueing a delivery of each
    /// to every enabled endpoint that receives its type. Returns the endpoints that got deliveries.
    /// The cursor row is locked, so nodes fan out in turn and each message once.
    public func fanOutWebhookMessages(limit: Int, at now: Timestamp) async throws -> Set<String> {
        guard let cursor = try await sql.raw(SQLQueryString("SELECT after_seq FROM webhook_fanout WHERE id = 1" + engine.lockRows)).first()?
            .decode(column: "after_seq", as: Int64.self) else { throw StoreCorruption(detail: "the webhook fan-out row is missing") }
        let messages = try await sql.raw("SELECT * FROM webhook_messages WHERE seq > \(bind: cursor) ORDER BY seq LIMIT \(literal: limit)")
            .all().map(Self.decodeMessage)
        guard let last = messages.last else { return [] }
        let endpoints = try await webhookEndpoints().filter(\.enabled)
        var rows: [(String, Int64)] = []
        for message in messages {
            for endpoint in endpoints where endpoint.receives(message.type) { rows.append((endpoint.id, message.seq)) }
        }
        for chunk in rows.chunked(into: 500) {
            var insert = sql.insert(into: "webhook_deliveries").columns("endpoint_id", "message_seq", "status", "attempts", "next_attempt_at")
            for (endpoint, seq) in chunk { insert = insert.values(endpoint, seq, "pending", 0, now.milliseconds) }
            try await insert.run()
        }
        try await sql.update("webhook_fanout").set("after_seq", to: last.seq).where("id", .equal, 1).run()
        return Set(rows.map(\.0))
    }

    /// Whether messages wait for fan-out (a cheap read, so idle nodes do not take the write lock).
    public func webhookMessagesWaiting() async throws -> Bool {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT 1 FROM webhook_messages WHERE seq > (SELECT after_seq FROM webhook_fanout WHERE id = 1) LIMIT 1) t
            """).first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) > 0
    }

    /// Whether an enabled endpoint has a delivery due by `now` that no node holds.
    public func webhookDeliveriesDue(at now: Timestamp) async throws -> Bool {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (
              SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
              WHERE d.status = 'pending' AND e.enabled = 1 AND d.next_attempt_at <= \(bind: now.milliseconds)
                AND (d.lease_until IS NULL OR d.lease_until <= \(bind: now.milliseconds)) LIMIT 1) t
            """).first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) > 0
    }

    /// The endpoint's deliveries due by `now` and not leased, oldest due first, at most `limit`;
    /// leased until `leaseUntil` so no other node sends them meanwhile (rows another node is
    /// claiming are skipped, not waited for). A lease outlives the attempt's timeout, and a node
    /// that dies holding one only delays the delivery until it lapses.
    public func claimWebhookDeliveries(endpointID: String, limit: Int, at now: Timestamp, leaseUntil: Timestamp) async throws -> [ClaimedDelivery] {
        var query: SQLQueryString = """
            SELECT d.message_seq, d.attempts FROM webhook_deliveries d
            WHERE d.endpoint_id = \(bind: endpointID) AND d.status = 'pending' AND d.next_attempt_at <= \(bind: now.milliseconds)
              AND (d.lease_until IS NULL OR d.lease_until <= \(bind: now.milliseconds))
            ORDER BY d.next_attempt_at, d.message_seq LIMIT \(literal: limit)
            """
        query.appendLiteral(engine.lockRowsSkippingLocked)
        let due = try await sql.raw(query).all().map { row in
            (seq: try row.decode(column: "message_seq", as: Int64.self), attempts: try row.decode(column: "attempts", as: Int.self))
        }
        guard !due.isEmpty else { return [] }
        var update: SQLQueryString = "UPDATE webhook_deliveries SET lease_until = \(bind: leaseUntil.milliseconds) WHERE endpoint_id = \(bind: endpointID) AND message_seq IN ("
        update.appendInterpolation(binds: due.map(\.seq))
        update.appendLiteral(")")
        try await sql.raw(update).run()
        var select: SQLQueryString = "SELECT * FROM webhook_messages WHERE seq IN ("
        select.appendInterpolation(binds: due.map(\.seq))
        select.appendLiteral(")")
        let messages = Dictionary(uniqueKeysWithValues: try await sql.raw(select).all().map(Self.decodeMessage).map { ($0.seq, $0) })
        return due.compactMap { entry in messages[entry.seq].map { ClaimedDelivery(message: $0, attempts: entry.attempts) } }
    }

    /// Records attempts and what each delivery does next, releasing their leases.
    public func recordWebhookAttempts(_ results: [(attempt: WebhookAttemptRecord, next: DeliveryNext)]) async throws {
        guard !results.isEmpty else { return }
        for chunk in results.chunked(into: 500) {
            var insert = sql.insert(into: "webhook_attempts").columns(
                "id", "endpoint_id", "message_seq", "attempt", "attempted_at", "outcome", "status_code", "latency_ms", "response_snippet", "error")
            for (a, _) in chunk {
                insert = insert.values(a.id, a.endpointID, a.messageSeq, a.attempt, a.attemptedAt.milliseconds, a.outcome.rawValue,
                                       a.statusCode, a.latencyMilliseconds, a.responseSnippet, a.error)
            }
            try await insert.run()
        }
        // Deliveries that succeeded, one statement per endpoint (the common case under load);
        // the others each have their own next time.
        var delivered: [String: [WebhookAttemptRecord]] = [:]
        for (attempt, next) in results {
            if case .delivered = next {
                delivered[attempt.endpointID, default: []].append(attempt)
                continue
            }
            var update = sql.update("webhook_deliveries").set("attempts", to: attempt.attempt).set("lease_until", to: SQLLiteral.null)
            switch next {
            case .delivered: break
            case .retry(let at): update = update.set("next_attempt_at", to: at.milliseconds)
            case .exhausted: update = update.set("status", to: "failed")
            }
            try await update.where("endpoint_id", .equal, attempt.endpointID).where("message_seq", .equal, attempt.messageSeq).run()
        }
        for (endpointID, attempts) in delivered.sorted(by: { $0.key < $1.key }) {
            for chunk in attempts.chunked(into: 500) {
                // A delivery is claimed by one attempt at a time, so its count was this attempt's less one.
                var update: SQLQueryString = """
                    UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, lease_until = NULL,
                      delivered_at = \(bind: chunk.map(\.attemptedAt.milliseconds).max() ?? 0)
                    WHERE endpoint_id = \(bind: endpointID) AND message_seq IN (
                    """
                update.appendInterpolation(binds: chunk.map(\.messageSeq))
                update.appendLiteral(")")
                try await sql.raw(update).run()
            }
        }
    }

    /// Queues again, for one endpoint, every message since `since` (oldest first, at most `limit`)
    /// that it receives, delivered or not. Returns how many, and the time of the last one looked at
    /// when more remain.
    public func replayWebhookMessages(to endpoint: WebhookEndpointRecord, since: Timestamp, limit: Int, at now: Timestamp) async throws -> (count: Int, moreAfter: Timestamp?) {
        let messages = try await sql.raw("""
            SELECT * FROM webhook_messages WHERE created_at >= \(bind: since.milliseconds) ORDER BY seq LIMIT \(literal: limit + 1)
            """).all().map(Self.decodeMessage)
        let taken = messages.prefix(limit).filter { endpoint.receives($0.type) }
        for message in taken {
            try await sql.raw("""
                INSERT INTO webhook_deliveries (endpoint_id, message_seq, status, attempts, next_attempt_at)
                VALUES (\(bind: endpoint.id), \(bind: message.seq), 'pending', 0, \(bind: now.milliseconds))
                ON CONFLICT (endpoint_id, message_seq) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at, delivered_at = NULL
                """).run()
        }
        // Go on from the first message not taken (messages made in the same millisecond are sent again: harmless, same ids).
        return (taken.count, messages.count > limit ? messages[limit].createdAt : nil)
    }

    // MARK: Endpoints

    public func insertWebhookEndpoint(_ endpoint: WebhookEndpointRecord) async throws {
        try await sql.insert(into: "webhook_endpoints")
            .columns("id", "url", "description", "event_types", "enabled", "secret_seal", "previous_secret_seal", "previous_until",
                     "disabled_reason", "failing_since", "created_at", "updated_at")
            .values(endpoint.id, endpoint.url, endpoint.description, endpoint.eventTypes?.joined(separator: ","), endpoint.enabled ? 1 : 0,
                    endpoint.secretSeal, endpoint.previousSecretSeal, endpoint.previousUntil?.milliseconds, endpoint.disabledReason,
                    endpoint.failingSince?.milliseconds, endpoint.createdAt.milliseconds, endpoint.updatedAt.milliseconds)
            .run()
    }

    /// Saves every field of an endpoint but its id and creation time.
    public func updateWebhookEndpoint(_ endpoint: WebhookEndpointRecord) async throws {
        try await sql.update("webhook_endpoints")
            .set("url", to: endpoint.url).set("description", to: endpoint.description)
            .set("event_types", to: endpoint.eventTypes?.joined(separator: ",")).set("enabled", to: endpoint.enabled ? 1 : 0)
            .set("secret_seal", to: endpoint.secretSeal).set("previous_secret_seal", to: endpoint.previousSecretSeal)
            .set("previous_until", to: endpoint.previousUntil?.milliseconds).set("disabled_reason", to: endpoint.disabledReason)
            .set("failing_since", to: endpoint.failingSince?.milliseconds).set("updated_at", to: endpoint.updatedAt.milliseconds)
            .where("id", .equal, endpoint.id).where("deleted_at", .is, SQLLiteral.null)
            .run()
    }

    /// Deletes an endpoint: it is kept (its attempts refer to it) but no longer listed or delivered
    /// to, and its waiting deliveries are dropped.
    public func deleteWebhookEndpoint(id: String, at now: Timestamp) async throws {
        try await sql.update("webhook_endpoints").set("deleted_at", to: now.milliseconds).set("enabled", to: 0).where("id", .equal, id).run()
        try await sql.raw("UPDATE webhook_deliveries SET status = 'cancelled', lease_until = NULL WHERE endpoint_id = \(bind: id) AND status = 'pending'").run()
    }

    /// An endpoint that is not deleted (locked in a write transaction on PostgreSQL).
    public func webhookEndpoint(id: String, forUpdate: Bool = false) async throws -> WebhookEndpointRecord? {
        var query: SQLQueryString = "SELECT * FROM webhook_endpoints WHERE id = \(bind: id) AND deleted_at IS NULL"
        if forUpdate { query.appendLiteral(engine.lockRows) }
        return try await sql.raw(query).first().map(Self.decodeEndpoint)
    }

    /// Every endpoint that is not deleted, oldest first.
    public func webhookEndpoints() async throws -> [WebhookEndpointRecord] {
        try await sql.raw("SELECT * FROM webhook_endpoints WHERE deleted_at IS NULL ORDER BY created_at, id").all().map(Self.decodeEndpoint)
    }

    /// An endpoint's attempts, newest first, before the cursor (an attempt id) if given.
    public func webhookAttempts(endpointID: String, before cursor: String?, limit: Int) async throws -> [WebhookAttemptRecord] {
        var query: SQLQueryString = "SELECT * FROM webhook_attempts WHERE endpoint_id = \(bind: endpointID)"
        if let cursor { query.appendInterpolation(" AND id < \(bind: cursor)" as SQLQueryString) }
        query.appendInterpolation(" ORDER BY id DESC LIMIT \(literal: limit)" as SQLQueryString)
        return try await sql.raw(query).all().map { row in
            WebhookAttemptRecord(
                id: try row.decode(column: "id", as: String.self), endpointID: try row.decode(column: "endpoint_id", as: String.self),
                messageSeq: try row.decode(column: "message_seq", as: Int64.self), attempt: try row.decode(column: "attempt", as: Int.self),
                attemptedAt: Timestamp(milliseconds: try row.decode(column: "attempted_at", as: Int64.self)),
                outcome: WebhookAttemptRecord.Outcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .failed,
                statusCode: try row.decode(column: "status_code", as: Int?.self),
                latencyMilliseconds: try row.decode(column: "latency_ms", as: Int64.self),
                responseSnippet: try row.decode(column: "response_snippet", as: String?.self), error: try row.decode(column: "error", as: String?.self))
        }
    }

    /// A notice by id (a webhook message's source).
    public func notice(id: String) async throws -> NoticeRecord? {
        guard let row = try await sql.raw("SELECT * FROM notices WHERE id = \(bind: id)").first() else { return nil }
        let kind = try row.decode(column: "kind", as: String.self)
        guard let parsed = NoticeKind(rawValue: kind) else { throw StoreCorruption(detail: "notice kind '\(kind)'") }
        let type = try row.decode(column: "recipient_type", as: String.self)
        let key = try row.decode(column: "recipient", as: String.self)
        return NoticeRecord(
            id: id, recipient: type == "creator" ? .creator(key) : .reporter(hash: key), kind: parsed,
            subjectID: try row.decode(column: "subject_id", as: String?.self), decisionID: try row.decode(column: "decision_id", as: String?.self),
            body: try row.decode(column: "body", as: String.self), createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }

    /// One audit event by its sequence number (a webhook message's source).
    public func auditEvent(seq: Int64) async throws -> AuditEvent? {
        try await auditEvents(after: seq - 1, limit: 1).first { $0.seq == seq }
    }

    static func decodeMessage(_ row: any SQLRow) throws -> WebhookMessage {
        let source = try row.decode(column: "source", as: String.self)
        guard let parsed = WebhookMessage.Source(rawValue: source) else { throw StoreCorruption(detail: "webhook message source '\(source)'") }
        return WebhookMessage(
            seq: try row.decode(column: "seq", as: Int64.self), type: try row.decode(column: "type", as: String.self), source: parsed,
            sourceRef: try row.decode(column: "source_ref", as: String.self),
            createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }

    static func decodeEndpoint(_ row: any SQLRow) throws -> WebhookEndpointRecord {
        WebhookEndpointRecord(
            id: try row.decode(column: "id", as: String.self), url: try row.decode(column: "url", as: String.self),
            description: try row.decode(column: "description", as: String?.self),
            eventTypes: try row.decode(column: "event_types", as: String?.self).map { $0.split(separator: ",").map(String.init) },
            enabled: try row.decode(column: "enabled", as: Int.self) != 0, secretSeal: try row.decode(column: "secret_seal", as: String.self),
            previousSecretSeal: try row.decode(column: "previous_secret_seal", as: String?.self),
            previousUntil: try row.decode(column: "previous_until", as: Int64?.self).map(Timestamp.init(milliseconds:)),
            disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
            failingSince: try row.decode(column: "failing_since", as: Int64?.self).map(Timestamp.init(milliseconds:)),
            createdAt: Timestamp(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
