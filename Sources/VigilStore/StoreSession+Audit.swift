import SQLKit
import VigilCore

extension StoreSession {
    /// Appends events to the hash chain after the current head, and moves the head, in the caller's
    /// transaction. Returns the events as linked.
    @discardableResult
    public func appendEvents(_ drafts: [AuditEventDraft]) async throws -> [AuditEvent] {
        guard !drafts.isEmpty else { return [] }
        let head = try await auditHead(forUpdate: true)
        let events = AuditChain.link(drafts, afterSeq: head.seq, hash: head.hash)
        for chunk in events.chunked(into: 1_000) {
            var insert = sql.insert(into: "audit_events").columns("seq", "type", "subject_id", "payload", "occurred_at", "prev_hash", "hash")
            for e in chunk {
                insert = insert.values(e.seq, e.type, e.subjectID, e.payload, e.occurredAt.milliseconds, e.prevHash, e.hash)
            }
            try await insert.run()
        }
        if let last = events.last {
            try await sql.update("audit_head").set("seq", to: last.seq).set("hash", to: last.hash).where("id", .equal, 1).run()
        }
        // The acts the platform must apply go out as webhooks too: their outbox messages commit with them.
        try await appendWebhookMessages(events.compactMap { event in
            guard let type = AuditEventType(rawValue: event.type), AuditEventType.enforcement.contains(type) else { return nil }
            return (event.type, .event, String(event.seq), event.occurredAt)
        })
        return events
    }

    /// The last event's sequence number and hash, as recorded in the head row.
    public func auditHead(forUpdate: Bool = false) async throws -> (seq: Int64, hash: String) {
        // Locked on engines with several writers, so concurrent writers on several nodes append one chain.
        guard let row = try await sql.raw(SQLQueryString("SELECT seq, hash FROM audit_head WHERE id = 1" + (forUpdate ? engine.lockRows : ""))).first() else {
            throw StoreCorruption(detail: "the audit head row is missing")
        }
        return (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    /// Events in sequence order after `seq`, at most `limit`.
    public func auditEvents(after seq: Int64, limit: Int) async throws -> [AuditEvent] {
        let rows = try await sql.select()
            .columns("seq", "type", "subject_id", "payload", "occurred_at", "prev_hash", "hash")
            .from("audit_events").where("seq", .greaterThan, seq).orderBy("seq").limit(limit).all()
        return try rows.map { row in
            AuditEvent(
                seq: try row.decode(column: "seq", as: Int64.self),
                type: try row.decode(column: "type", as: String.self),
                subjectID: try row.decode(column: "subject_id", as: String?.self),
                payload: try row.decode(column: "payload", as: String.self),
                occurredAt: Timestamp(milliseconds: try row.decode(column: "occurred_at", as: Int64.self)),
                prevHash: try row.decode(column: "prev_hash", as: String.self),
                hash: try row.decode(column: "hash", as: String.self))
        }
    }
}

/// The result of checking the whole audit log.
public enum AuditVerification: Sendable, Equatable {
    case intact(events: Int64)
    case broken(AuditChainVerifier.Failure)
}

extension Store {
    /// Walks the whole chain in pages and checks every link and the head.
    public func verifyAuditLog(pageSize: Int = 5_000) async throws -> AuditVerification {
        try await read { session in
            var verifier = AuditChainVerifier()
            var after: Int64 = 0
            while true {
                let page = try await session.auditEvents(after: after, limit: pageSize)
                for event in page {
                    if let failure = verifier.check(event) { return .broken(failure) }
                }
                guard let last = page.last else { break }
                after = last.seq
            }
            let head = try await session.auditHead()
            if let failure = verifier.finish(headSeq: head.seq, headHash: head.hash) { return .broken(failure) }
            return .intact(events: verifier.count)
        }
    }
}
