import SQLKit
import VigilCore

/// A reporter as Vigil knows them: a keyed hash and a track record, nothing else.
public struct ReporterRecord: Sendable, Equatable {
    public var reporterHash: String
    public var record: TrackRecord
    public var reportsFiled: Int
    public var pending: Int

    public init(reporterHash: String, record: TrackRecord, reportsFiled: Int, pending: Int) {
        self.reporterHash = reporterHash
        self.record = record
        self.reportsFiled = reportsFiled
        self.pending = pending
    }
}

extension StoreSession {
    public func reporters(hashes: some Collection<String>) async throws -> [String: ReporterRecord] {
        guard !hashes.isEmpty else { return [:] }
        let rows = try await sql.select()
            .columns("reporter_hash", "upheld", "dismissed", "record_as_of", "reports_filed", "pending")
            .from("reporters").where("reporter_hash", .in, Array(hashes)).all()
        var result: [String: ReporterRecord] = [:]
        for row in rows {
            let hash = try row.decode(column: "reporter_hash", as: String.self)
            result[hash] = ReporterRecord(
                reporterHash: hash,
                record: TrackRecord(
                    upheld: try row.decode(column: "upheld", as: Double.self),
                    dismissed: try row.decode(column: "dismissed", as: Double.self),
                    asOf: Timestamp(milliseconds: try row.decode(column: "record_as_of", as: Int64.self))),
                reportsFiled: try row.decode(column: "reports_filed", as: Int.self),
                pending: try row.decode(column: "pending", as: Int.self))
        }
        return result
    }

    /// Adds filed and pending reports to reporters' counts, creating newcomers' rows.
    /// `filed` and `pending` are per-reporter increments; one row per reporter.
    public func recordFiledReports(_ increments: [String: (filed: Int, pending: Int)], at time: Timestamp) async throws {
        guard !increments.isEmpty else { return }
        for chunk in increments.sorted(by: { $0.key < $1.key }).chunked(into: 1_000) {
            var insert = sql.insert(into: "reporters")
                .columns("reporter_hash", "upheld", "dismissed", "record_as_of", "reports_filed", "pending", "first_seen_at")
            for (hash, increment) in chunk {
                insert = insert.values(hash, 0.0, 0.0, time.milliseconds, increment.filed, increment.pending, time.milliseconds)
            }
            try await insert.onConflict(with: ["reporter_hash"]) { update in
                update
                    .set("reports_filed", to: SQLRaw("reporters.reports_filed + excluded.reports_filed"))
                    .set("pending", to: SQLRaw("reporters.pending + excluded.pending"))
            }.run()
        }
    }
}
