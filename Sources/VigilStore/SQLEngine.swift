import SQLKit

/// The storage engines Vigil runs on. Every SQL difference between them lives here, so the rest of
/// the store is written once.
public enum SQLEngine: String, Sendable {
    case sqlite
    case postgres

    /// A trigger that makes `table` refuse `operation` (`UPDATE`, `DELETE`, or `UPDATE OF col, …`),
    /// so append-only tables stay append-only even for code that forgets.
    func forbidStatements(table: String, operation: String, name: String, message: String) -> [String] {
        switch self {
        case .sqlite:
            return ["CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END"]
        case .postgres:
            return [
                """
                CREATE OR REPLACE FUNCTION \(name)_fn() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(message)'; END $$
                """,
                "CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) FOR EACH ROW EXECUTE FUNCTION \(name)_fn()",
            ]
        }
    }

    /// Drops one of the triggers made by ``forbidStatements(table:operation:name:message:)``
    /// (tests use it to tamper with a copy as an attacker with the file would).
    func dropTrigger(_ name: String, table: String) -> String {
        switch self {
        case .sqlite: "DROP TRIGGER IF EXISTS \(name)"
        case .postgres: "DROP TRIGGER IF EXISTS \(name) ON \(table)"
        }
    }

    /// The statement that starts a write transaction. SQLite takes the write lock at once so a
    /// transaction never fails half-way on a busy database.
    var beginWrite: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    /// What a write transaction runs first on an engine where several writers can run at once
    /// (PostgreSQL, from several nodes): a lock that makes them take turns, on the audit-chain
    /// head (so each sees the others' committed rows, as on SQLite's single writer) or, for
    /// migrations, an advisory lock. Nil on SQLite, whose one writer connection already serializes.
    func serializeWriters(lockingChainHead: Bool) -> String? {
        switch self {
        case .sqlite: nil
        case .postgres: lockingChainHead ? "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE" : "SELECT pg_advisory_xact_lock(7324001)"
        }
    }

    /// Appended to a SELECT inside a write transaction to lock the rows it reads.
    var lockRows: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }

    /// Appended to a SELECT that picks work: other nodes' locked rows are skipped, not waited for.
    var lockRowsSkippingLocked: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE SKIP LOCKED"
        }
    }

    /// A query naming the table if it exists.
    func tableExists(_ name: String) -> SQLQueryString {
        switch self {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)"
        case .postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_name = \(bind: name)"
        }
    }

    /// Migration 7: on SQLite, the reporters and report outcomes are rebuilt as tables clustered by
    /// their key (`WITHOUT ROWID`), so intake's lookups by reporter hash and report id descend one
    /// b-tree instead of an index and then the table. PostgreSQL has no such choice: nothing to do.
    func clusteredByKey() -> [String] {
        switch self {
        case .postgres: []
        case .sqlite: [
            """
            CREATE TABLE reporters_clustered (
                reporter_hash TEXT PRIMARY KEY, upheld DOUBLE PRECISION NOT NULL,
                dismissed DOUBLE PRECISION NOT NULL, record_as_of BIGINT NOT NULL,
                reports_filed BIGINT NOT NULL, pending BIGINT NOT NULL, first_seen_at BIGINT NOT NULL,
                standing TEXT NOT NULL DEFAULT 'good', standing_until BIGINT) WITHOUT ROWID
            """,
            """
            INSERT INTO reporters_clustered (reporter_hash, upheld, dismissed, record_as_of, reports_filed, pending, first_seen_at, standing, standing_until)
            SELECT reporter_hash, upheld, dismissed, record_as_of, reports_filed, pending, first_seen_at, standing, standing_until FROM reporters
            """,
            "DROP TABLE reporters",
            "ALTER TABLE reporters_clustered RENAME TO reporters",
            """
            CREATE TABLE report_outcomes_clustered (
                report_id TEXT PRIMARY KEY REFERENCES reports (id), status TEXT NOT NULL,
                case_id TEXT, decided_at BIGINT) WITHOUT ROWID
            """,
            "INSERT INTO report_outcomes_clustered (report_id, status, case_id, decided_at) SELECT report_id, status, case_id, decided_at FROM report_outcomes",
            "DROP TABLE report_outcomes",
            "ALTER TABLE report_outcomes_clustered RENAME TO report_outcomes",
            "CREATE INDEX report_outcomes_decided ON report_outcomes (decided_at)",
        ]
        }
    }

    /// Migration 4: appeals may target a misuse measure instead of a decision. PostgreSQL relaxes
    /// the column in place; SQLite cannot relax NOT NULL in place, so the table is rebuilt
    /// (nothing references it).
    func appealsTargetingMeasures(check target: String) -> [String] {
        switch self {
        case .postgres: [
            "ALTER TABLE appeals ALTER COLUMN decision_id DROP NOT NULL",
            "ALTER TABLE appeals ADD COLUMN measure_id TEXT REFERENCES misuse_measures (id)",
            "ALTER TABLE appeals ADD CONSTRAINT appeals_one_target \(target)",
        ]
        case .sqlite: [
            """
            CREATE TABLE appeals_v4 (
                id TEXT PRIMARY KEY, decision_id TEXT REFERENCES decisions (id), appellant_type TEXT NOT NULL,
                appellant TEXT NOT NULL, statement TEXT NOT NULL, status TEXT NOT NULL, filed_at BIGINT NOT NULL,
                claimed_by TEXT, claim_expires_at BIGINT, decided_by TEXT, decided_at BIGINT, outcome_note TEXT,
                measure_id TEXT REFERENCES misuse_measures (id), \(target))
            """,
            """
            INSERT INTO appeals_v4 (id, decision_id, appellant_type, appellant, statement, status, filed_at,
                claimed_by, claim_expires_at, decided_by, decided_at, outcome_note)
            SELECT id, decision_id, appellant_type, appellant, statement, status, filed_at,
                claimed_by, claim_expires_at, decided_by, decided_at, outcome_note FROM appeals
            """,
            "DROP TABLE appeals",
            "ALTER TABLE appeals_v4 RENAME TO appeals",
            "CREATE UNIQUE INDEX appeals_once ON appeals (decision_id, appellant_type, appellant)",
            "CREATE INDEX appeals_queue ON appeals (status, filed_at, id)",
            "CREATE INDEX appeals_appellant ON appeals (appellant_type, appellant, filed_at)",
        ]
        }
    }
}
