import SQLKit
import VigilCore

extension StoreSession {
    public func categoryScores(subjectIDs: some Collection<String>) async throws -> [CategoryScoreKey: CategoryScore] {
        guard !subjectIDs.isEmpty else { return [:] }
        let rows = try await sql.select().columns("subject_id", "category", "score", "counted_reports")
            .from("subject_scores").where("subject_id", .in, Array(subjectIDs)).all()
        var result: [CategoryScoreKey: CategoryScore] = [:]
        for row in rows {
            let key = CategoryScoreKey(
                subjectID: try row.decode(column: "subject_id", as: String.self),
                category: try row.decode(column: "category", as: String.self))
            result[key] = CategoryScore(
                score: try row.decode(column: "score", as: Double.self),
                countedReports: try row.decode(column: "counted_reports", as: Int.self))
        }
        return result
    }

    /// Writes the new absolute scores (computed by triage in memory) for the given keys.
    public func saveCategoryScores(_ scores: [CategoryScoreKey: CategoryScore]) async throws {
        guard !scores.isEmpty else { return }
        let sorted = scores.sorted { ($0.key.subjectID, $0.key.category) < ($1.key.subjectID, $1.key.category) }
        for chunk in sorted.chunked(into: 1_000) {
            var insert = sql.insert(into: "subject_scores").columns("subject_id", "category", "score", "counted_reports")
            for (key, value) in chunk {
                insert = insert.values(key.subjectID, key.category, value.score, value.countedReports)
            }
            try await insert.onConflict(with: ["subject_id", "category"]) { update in
                update.set(excludedValueOf: "score").set(excludedValueOf: "counted_reports")
            }.run()
        }
    }
}
