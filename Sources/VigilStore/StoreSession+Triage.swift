import SQLKit
import VigilCore

/// A subject's weighted score in one policy category.
public struct CategoryScoreKey: Hashable, Sendable {
    public var subjectID: String
    public var category: String

    public init(subjectID: String, category: String) {
        self.subjectID = subjectID
        self.category = category
    }
}

/// A subject's running score in one category and how many counted reports built it.
public struct CategoryScore: Sendable, Equatable {
    public var score: Double
    public var countedReports: Int

    public init(score: Double, countedReports: Int) {
        self.score = score
        self.countedReports = countedReports
    }
}

/// A review case, as much of it as triage needs.
public struct CaseRecord: Sendable, Equatable {
    public var id: String
    public var subjectID: String
    public var category: String
    public var severity: Severity
    public var openedAt: Timestamp
    public var deadlineAt: Timestamp

    public init(id: String, subjectID: String, category: String, severity: Severity, openedAt: Timestamp, deadlineAt: Timestamp) {
        self.id = id
        self.subjectID = subjectID
        self.category = category
        self.severity = severity
        self.openedAt = openedAt
        self.deadlineAt = deadlineAt
    }
}

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

    /// Open case ids by subject id.
    public func openCases(subjectIDs: some Collection<String>) async throws -> [String: String] {
        guard !subjectIDs.isEmpty else { return [:] }
        let rows = try await sql.select().columns("id", "subject_id").from("cases")
            .where("status", .equal, "open").where("subject_id", .in, Array(subjectIDs)).all()
        var result: [String: String] = [:]
        for row in rows {
            result[try row.decode(column: "subject_id", as: String.self)] = try row.decode(column: "id", as: String.self)
        }
        return result
    }

    public func insertCases(_ cases: [CaseRecord]) async throws {
        guard !cases.isEmpty else { return }
        var insert = sql.insert(into: "cases").columns("id", "subject_id", "status", "category", "severity", "opened_at", "deadline_at")
        for c in cases {
            insert = insert.values(c.id, c.subjectID, "open", c.category, c.severity.rawValue, c.openedAt.milliseconds, c.deadlineAt.milliseconds)
        }
        try await insert.run()
    }

    public func openCaseCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cases WHERE status = 'open'").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
