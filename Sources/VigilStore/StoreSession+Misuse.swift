import SQLKit
import VigilCore

extension StoreSession {
    public func insertMisuseMeasures(_ measures: [MisuseMeasureRecord]) async throws {
        guard !measures.isEmpty else { return }
        var insert = sql.insert(into: "misuse_measures").columns("id", "reporter_hash", "kind", "imposed_at", "until")
        for m in measures {
            insert = insert.values(m.id, m.reporterHash, m.kind.rawValue, m.imposedAt.milliseconds, m.until?.milliseconds)
        }
        try await insert.run()
    }

    public func misuseMeasure(id: String) async throws -> MisuseMeasureRecord? {
        try await sql.raw("SELECT * FROM misuse_measures WHERE id = \(bind: id)").first().map(Self.decodeMisuseMeasure)
    }

    /// The reporter's most recent measure still on record (not revoked).
    public func latestMisuseMeasure(reporterHash: String) async throws -> MisuseMeasureRecord? {
        try await sql.raw("""
            SELECT * FROM misuse_measures WHERE reporter_hash = \(bind: reporterHash) AND revoked_at IS NULL
            ORDER BY imposed_at DESC, id DESC LIMIT 1
            """).first().map(Self.decodeMisuseMeasure)
    }

    /// Voids a measure on a granted appeal; false if it was already void.
    public func revokeMisuseMeasure(id: String, byAppeal appealID: String, at time: Timestamp) async throws -> Bool {
        try await sql.raw("""
            UPDATE misuse_measures SET revoked_at = \(bind: time.milliseconds), revoked_by = \(bind: appealID)
            WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """).first() != nil
    }

    static func decodeMisuseMeasure(_ row: any SQLRow) throws -> MisuseMeasureRecord {
        let kind = try row.decode(column: "kind", as: String.self)
        guard let k = MisuseMeasureKind(rawValue: kind) else { throw StoreCorruption(detail: "misuse measure of kind '\(kind)'") }
        var measure = MisuseMeasureRecord(
            id: try row.decode(column: "id", as: String.self), reporterHash: try row.decode(column: "reporter_hash", as: String.self), kind: k,
            imposedAt: Timestamp(milliseconds: try row.decode(column: "imposed_at", as: Int64.self)),
            until: try row.decode(column: "until", as: Int64?.self).map(Timestamp.init(milliseconds:)))
        measure.revokedAt = try row.decode(column: "revoked_at", as: Int64?.self).map(Timestamp.init(milliseconds:))
        measure.revokedBy = try row.decode(column: "revoked_by", as: String?.self)
        return measure
    }
}
