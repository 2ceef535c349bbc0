import Foundation
import SQLKit
import VigilCore

/// One versioned step of the schema. Versions only grow; an applied migration is never edited.
struct Migration: Sendable {
    var version: Int
    var name: String
    var statements: @Sendable (SQLEngine) -> [String]
}

/// The schema's history, oldest first. Column types are chosen to mean the same on both engines:
/// TEXT, BIGINT (times in epoch milliseconds, counts, 0/1 flags) and DOUBLE PRECISION.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "foundation") { engine in
            [
                """
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, scopes TEXT NOT NULL, label TEXT,
                    created_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                """
                CREATE TABLE subjects (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL, creator_id TEXT NOT NULL,
                    views BIGINT NOT NULL, live_viewers BIGINT NOT NULL, title TEXT, body_text TEXT,
                    state TEXT NOT NULL, state_ground TEXT, state_changed_at BIGINT NOT NULL,
                    registered_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX subjects_creator ON subjects (creator_id)",
                """
                CREATE TABLE reports (
                    id TEXT PRIMARY KEY, subject_id TEXT NOT NULL REFERENCES subjects (id),
                    reporter_hash TEXT NOT NULL, reporter_seal TEXT NOT NULL,
                    reason TEXT NOT NULL, note TEXT, channel TEXT NOT NULL,
                    notice_explanation TEXT, notice_location TEXT, notice_legal_ground TEXT, notice_contact_seal TEXT,
                    weight DOUBLE PRECISION NOT NULL, counted BIGINT NOT NULL, policy_version TEXT NOT NULL,
                    received_at BIGINT NOT NULL)
                """,
                "CREATE UNIQUE INDEX reports_one_per_reporter ON reports (subject_id, reporter_hash)",
                "CREATE INDEX reports_by_reporter ON reports (reporter_hash, id)",
                // A report's outcome changes when its case is decided; the report itself never does.
                """
                CREATE TABLE report_outcomes (
                    report_id TEXT PRIMARY KEY REFERENCES reports (id), status TEXT NOT NULL,
                    case_id TEXT, decided_at BIGINT)
                """,
                """
                CREATE TABLE reporters (
                    reporter_hash TEXT PRIMARY KEY, upheld DOUBLE PRECISION NOT NULL,
                    dismissed DOUBLE PRECISION NOT NULL, record_as_of BIGINT NOT NULL,
                    reports_filed BIGINT NOT NULL, pending BIGINT NOT NULL, first_seen_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE subject_scores (
                    subject_id TEXT NOT NULL REFERENCES subjects (id), category TEXT NOT NULL,
                    score DOUBLE PRECISION NOT NULL, counted_reports BIGINT NOT NULL,
                    PRIMARY KEY (subject_id, category))
                """,
                """
                CREATE TABLE cases (
                    id TEXT PRIMARY KEY, subject_id TEXT NOT NULL REFERENCES subjects (id),
                    status TEXT NOT NULL, category TEXT NOT NULL, severity TEXT NOT NULL,
                    opened_at BIGINT NOT NULL, deadline_at BIGINT NOT NULL, closed_at BIGINT)
                """,
                "CREATE UNIQUE INDEX cases_one_open_per_subject ON cases (subject_id) WHERE status = 'open'",
                """
                CREATE TABLE audit_events (
                    seq BIGINT PRIMARY KEY, type TEXT NOT NULL, subject_id TEXT, payload TEXT NOT NULL,
                    occurred_at BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                "CREATE INDEX audit_events_subject ON audit_events (subject_id, seq)",
                "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\(AuditChain.genesis)')",
                """
                CREATE TABLE idempotency_keys (
                    scoped_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status_code BIGINT NOT NULL,
                    response TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
            ]
            + engine.forbidStatements(table: "audit_events", operation: "UPDATE", name: "audit_events_no_update", message: "audit events are append-only")
            + engine.forbidStatements(table: "audit_events", operation: "DELETE", name: "audit_events_no_delete", message: "audit events are append-only")
            + engine.forbidStatements(table: "reports", operation: "UPDATE", name: "reports_no_update", message: "reports are immutable")
            + engine.forbidStatements(table: "reports", operation: "DELETE", name: "reports_no_delete", message: "reports are immutable")
        },
        Migration(version: 2, name: "review") { engine in
            [
                """
                CREATE TABLE moderators (
                    id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, token_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL, disabled_at BIGINT)
                """,
                "ALTER TABLE cases ADD COLUMN kind TEXT NOT NULL DEFAULT 'video'",
                "ALTER TABLE cases ADD COLUMN priority DOUBLE PRECISION NOT NULL DEFAULT 0",
                "ALTER TABLE cases ADD COLUMN claimed_by TEXT",
                "ALTER TABLE cases ADD COLUMN claim_expires_at BIGINT",
                "ALTER TABLE cases ADD COLUMN decision_id TEXT",
                "ALTER TABLE cases ADD COLUMN is_live BIGINT NOT NULL DEFAULT 0",
                // Set by the maintenance sweep once the deadline passes, so the queue order is made of
                // stored columns only and one index yields it without sorting.
                "ALTER TABLE cases ADD COLUMN overdue BIGINT NOT NULL DEFAULT 0",
                "UPDATE cases SET is_live = CASE WHEN kind = 'live' THEN 1 ELSE 0 END",
                "CREATE INDEX cases_queue ON cases (status, is_live DESC, overdue DESC, priority DESC, deadline_at, id)",
                "CREATE INDEX cases_deadline ON cases (status, overdue, deadline_at)",
                "ALTER TABLE subjects ADD COLUMN reviewed_reasons TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE reporters ADD COLUMN standing TEXT NOT NULL DEFAULT 'good'",
                "ALTER TABLE reporters ADD COLUMN standing_until BIGINT",
                "CREATE INDEX report_outcomes_decided ON report_outcomes (decided_at)",
                """
                CREATE TABLE decisions (
                    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), subject_id TEXT NOT NULL REFERENCES subjects (id),
                    creator_id TEXT NOT NULL, moderator_id TEXT NOT NULL, outcome TEXT NOT NULL, policy_ids TEXT NOT NULL,
                    action TEXT, strike BIGINT NOT NULL, note TEXT NOT NULL, policy_version TEXT NOT NULL,
                    previous_state TEXT NOT NULL, resulting_state TEXT NOT NULL, automated BIGINT NOT NULL, decided_at BIGINT NOT NULL)
                """,
                "CREATE INDEX decisions_creator ON decisions (creator_id, decided_at)",
                """
                CREATE TABLE strikes (
                    id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, decision_id TEXT NOT NULL REFERENCES decisions (id),
                    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                "CREATE INDEX strikes_creator ON strikes (creator_id, expires_at)",
                """
                CREATE TABLE account_actions (
                    id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, action TEXT NOT NULL, decision_id TEXT NOT NULL,
                    active_strikes BIGINT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT, lifted_at BIGINT)
                """,
                "CREATE INDEX account_actions_creator ON account_actions (creator_id, starts_at)",
                """
                CREATE TABLE notices (
                    id TEXT PRIMARY KEY, recipient_type TEXT NOT NULL, recipient TEXT NOT NULL, kind TEXT NOT NULL,
                    subject_id TEXT, decision_id TEXT, body TEXT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX notices_recipient ON notices (recipient_type, recipient, id)",
            ]
            + engine.forbidStatements(table: "decisions", operation: "UPDATE", name: "decisions_no_update", message: "decisions are immutable")
            + engine.forbidStatements(table: "decisions", operation: "DELETE", name: "decisions_no_delete", message: "decisions are immutable")
            + engine.forbidStatements(table: "notices", operation: "DELETE", name: "notices_no_delete", message: "notices are durable")
        },
        Migration(version: 3, name: "appeals") { _ in
            [
                """
                CREATE TABLE appeals (
                    id TEXT PRIMARY KEY, decision_id TEXT NOT NULL REFERENCES decisions (id), appellant_type TEXT NOT NULL,
                    appellant TEXT NOT NULL, statement TEXT NOT NULL, status TEXT NOT NULL, filed_at BIGINT NOT NULL,
                    claimed_by TEXT, claim_expires_at BIGINT, decided_by TEXT, decided_at BIGINT, outcome_note TEXT)
                """,
                "CREATE UNIQUE INDEX appeals_once ON appeals (decision_id, appellant_type, appellant)",
                "CREATE INDEX appeals_queue ON appeals (status, filed_at, id)",
                "CREATE INDEX appeals_appellant ON appeals (appellant_type, appellant, filed_at)",
                "ALTER TABLE strikes ADD COLUMN revoked_by TEXT",
            ]
        },
        // Misuse measures get ids, and an appeal targets either a decision or a measure.
        Migration(version: 4, name: "misuse appeals") { engine in
            let measures = [
                """
                CREATE TABLE misuse_measures (
                    id TEXT PRIMARY KEY, reporter_hash TEXT NOT NULL, kind TEXT NOT NULL, imposed_at BIGINT NOT NULL,
                    until BIGINT, revoked_at BIGINT, revoked_by TEXT)
                """,
                "CREATE INDEX misuse_measures_reporter ON misuse_measures (reporter_hash, imposed_at)",
            ]
            let target = "CHECK ((decision_id IS NULL) <> (measure_id IS NULL))"
            let appeals = engine.appealsTargetingMeasures(check: target)
            return measures + appeals + ["CREATE UNIQUE INDEX appeals_once_per_measure ON appeals (measure_id, appellant_type, appellant)"]
        },
        // Independent voices: the kind of voice each report was (the co-reporting graph is read
        // from the reports themselves), creator shields, cases flagged urgent or coordinated
        // (urgent ones lead the queue), and takedowns waiting out their settle period.
        Migration(version: 5, name: "independence") { _ in
            [
                "ALTER TABLE reports ADD COLUMN standing TEXT",
                """
                CREATE TABLE creator_shields (
                    id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, subject_id TEXT NOT NULL, since BIGINT NOT NULL,
                    until BIGINT NOT NULL, signals TEXT NOT NULL, group_size BIGINT NOT NULL)
                """,
                "CREATE INDEX creator_shields_creator ON creator_shields (creator_id, until)",
                // Counted unvetted reports against each creator's content, per hour: the pile-on
                // signal, read without scanning the reports.
                """
                CREATE TABLE creator_report_hours (
                    creator_id TEXT NOT NULL, hour BIGINT NOT NULL, reports BIGINT NOT NULL,
                    PRIMARY KEY (creator_id, hour))
                """,
                "ALTER TABLE cases ADD COLUMN urgent BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE cases ADD COLUMN coordination BIGINT NOT NULL DEFAULT 0",
                // A takedown waiting out its settle period; the sweep reads only the few that wait.
                "ALTER TABLE cases ADD COLUMN takedown_due_at BIGINT",
                "CREATE INDEX cases_takedown_due ON cases (takedown_due_at) WHERE takedown_due_at IS NOT NULL",
                "DROP INDEX cases_queue",
                "CREATE INDEX cases_queue ON cases (status, urgent DESC, is_live DESC, overdue DESC, priority DESC, deadline_at, id)",
            ]
        },
        // Webhooks: endpoints, the outbox (a message per deliverable event or creator notice,
        // written in the transaction that caused it; append-only), a fan-out cursor, one delivery
        // per message and endpoint with its retry state, and every attempt.
        Migration(version: 6, name: "webhooks") { engine in
            [
                """
                CREATE TABLE webhook_endpoints (
                    id TEXT PRIMARY KEY, url TEXT NOT NULL, description TEXT, event_types TEXT, enabled BIGINT NOT NULL,
                    secret_seal TEXT NOT NULL, previous_secret_seal TEXT, previous_until BIGINT,
                    disabled_reason TEXT, failing_since BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, deleted_at BIGINT)
                """,
                """
                CREATE TABLE webhook_messages (
                    seq BIGINT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL, source_ref TEXT NOT NULL,
                    created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX webhook_messages_created ON webhook_messages (created_at)",
                "CREATE TABLE webhook_fanout (id BIGINT PRIMARY KEY, after_seq BIGINT NOT NULL)",
                "INSERT INTO webhook_fanout (id, after_seq) VALUES (1, 0)",
                """
                CREATE TABLE webhook_deliveries (
                    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id), message_seq BIGINT NOT NULL REFERENCES webhook_messages (seq),
                    status TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt_at BIGINT, lease_until BIGINT,
                    delivered_at BIGINT, PRIMARY KEY (endpoint_id, message_seq))
                """,
                "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at, message_seq) WHERE status = 'pending'",
                """
                CREATE TABLE webhook_attempts (
                    id TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL, message_seq BIGINT NOT NULL, attempt BIGINT NOT NULL,
                    attempted_at BIGINT NOT NULL, outcome TEXT NOT NULL, status_code BIGINT, latency_ms BIGINT NOT NULL,
                    response_snippet TEXT, error TEXT)
                """,
                "CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id)",
            ]
            + engine.forbidStatements(table: "webhook_messages", operation: "UPDATE", name: "webhook_messages_no_update", message: "webhook messages are append-only")
            + engine.forbidStatements(table: "webhook_messages", operation: "DELETE", name: "webhook_messages_no_delete", message: "webhook messages are append-only")
            + engine.forbidStatements(table: "webhook_attempts", operation: "UPDATE", name: "webhook_attempts_no_update", message: "webhook attempts are append-only")
        },
        // Intake's reads, kept from growing with the data: open cases found by subject (the
        // planner took the status index and walked every open case), and on SQLite the reporters
        // and report outcomes clustered by their keys.
        Migration(version: 7, name: "intake lookups") { engine in
            ["CREATE INDEX cases_subject ON cases (subject_id, status)"] + engine.clusteredByKey()
        },
        // Automated detection: signals as they arrived (append-only, once per source and id),
        // every rule match with the moderator's verdict on it once there is one (the rule's
        // precision), rules switched to shadow, and which rule raised a case.
        Migration(version: 8, name: "detection") { engine in
            [
                """
                CREATE TABLE signals (
                    source TEXT NOT NULL, id TEXT NOT NULL, subject_id TEXT NOT NULL REFERENCES subjects (id), kind TEXT NOT NULL,
                    label TEXT NOT NULL, score DOUBLE PRECISION, distance BIGINT, value TEXT, model TEXT, model_version TEXT,
                    received_at BIGINT NOT NULL, PRIMARY KEY (source, id))
                """,
                "CREATE INDEX signals_subject ON signals (subject_id, received_at)",
                """
                CREATE TABLE rule_matches (
                    id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, rule_set_version TEXT NOT NULL, subject_id TEXT NOT NULL,
                    case_id TEXT, mode TEXT NOT NULL, declared_action TEXT NOT NULL, action TEXT NOT NULL, applied BIGINT NOT NULL,
                    matched_at BIGINT NOT NULL, decision_id TEXT, outcome TEXT, appeal_granted BIGINT NOT NULL DEFAULT 0, decided_at BIGINT)
                """,
                // Covering for "which rules matched this subject": read on every signal, it must not
                // fall back to the version index and walk every match of the version.
                "CREATE INDEX rule_matches_subject ON rule_matches (subject_id, rule_set_version, rule_id)",
                "CREATE INDEX rule_matches_rule ON rule_matches (rule_set_version, rule_id, matched_at)",
                "CREATE INDEX rule_matches_decision ON rule_matches (decision_id)",
                "CREATE INDEX rule_matches_verdict ON rule_matches (rule_set_version, rule_id, outcome) WHERE outcome IS NOT NULL",
                """
                CREATE TABLE rule_modes (
                    rule_set_version TEXT NOT NULL, rule_id TEXT NOT NULL, mode TEXT NOT NULL, reason TEXT NOT NULL,
                    changed_at BIGINT NOT NULL, PRIMARY KEY (rule_set_version, rule_id))
                """,
                "ALTER TABLE cases ADD COLUMN detected_by TEXT",
                "ALTER TABLE subjects ADD COLUMN detected_categories TEXT NOT NULL DEFAULT ''",
            ]
            + engine.forbidStatements(table: "signals", operation: "UPDATE", name: "signals_no_update", message: "signals are append-only")
            + engine.forbidStatements(table: "signals", operation: "DELETE", name: "signals_no_delete", message: "signals are append-only")
        },
        // Hash banks: named lists of known content's perceptual hashes with their provenance; the
        // hashes held for subjects' media (never the media); and a gapless change log every node
        // follows to keep its in-memory index current (writers take turns on the chain head, so
        // `MAX(seq) + 1` is taken in commit order).
        Migration(version: 9, name: "hash banks") { engine in
            [
                """
                CREATE TABLE hash_banks (
                    name TEXT PRIMARY KEY, description TEXT, enabled BIGINT NOT NULL, enabled_ratio DOUBLE PRECISION NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE bank_contents (
                    id TEXT PRIMARY KEY, bank TEXT NOT NULL REFERENCES hash_banks (name), hash_type TEXT NOT NULL, source TEXT NOT NULL,
                    reference TEXT NOT NULL, subject_id TEXT, category TEXT, added_at BIGINT NOT NULL, removed_at BIGINT, removal_reason TEXT)
                """,
                "CREATE INDEX bank_contents_reference ON bank_contents (source, reference)",
                "CREATE INDEX bank_contents_bank ON bank_contents (bank, id)",
                """
                CREATE TABLE bank_hashes (
                    content_id TEXT NOT NULL REFERENCES bank_contents (id), position BIGINT NOT NULL, hash TEXT NOT NULL, quality BIGINT,
                    at_ms BIGINT, PRIMARY KEY (content_id, position))
                """,
                """
                CREATE TABLE bank_changes (
                    seq BIGINT PRIMARY KEY, bank TEXT NOT NULL, content_id TEXT, change TEXT NOT NULL, changed_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE subject_media (
                    subject_id TEXT NOT NULL REFERENCES subjects (id), media_id TEXT NOT NULL, hash_type TEXT NOT NULL,
                    recorded_at BIGINT NOT NULL, PRIMARY KEY (subject_id, media_id))
                """,
                """
                CREATE TABLE subject_media_hashes (
                    subject_id TEXT NOT NULL, media_id TEXT NOT NULL, position BIGINT NOT NULL, hash TEXT NOT NULL, quality BIGINT,
                    at_ms BIGINT, PRIMARY KEY (subject_id, media_id, position))
                """,
            ]
            + [("bank_hashes", "bank_hashes"), ("bank_changes", "bank_changes"), ("subject_media", "subject_media"),
               ("subject_media_hashes", "subject_media_hashes")].flatMap { table, name in
                engine.forbidStatements(table: table, operation: "UPDATE", name: "\(name)_no_update", message: "\(table) is append-only")
                    + engine.forbidStatements(table: table, operation: "DELETE", name: "\(name)_no_delete", message: "\(table) is append-only")
            }
        },
        // The moderator console: enrolment links, sign-in credentials and sessions. Secrets
        // (links, session cookies) are stored as SHA-256 hashes, TOTP secrets sealed.
        Migration(version: 10, name: "console") { _ in
            [
                """
                CREATE TABLE console_enrolments (
                    token_hash TEXT PRIMARY KEY, moderator_id TEXT NOT NULL REFERENCES moderators (id),
                    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
                """,
                """
                CREATE TABLE console_credentials (
                    moderator_id TEXT PRIMARY KEY REFERENCES moderators (id), password_hash TEXT NOT NULL, totp_seal TEXT,
                    enrolled_at BIGINT NOT NULL, failures BIGINT NOT NULL, locked_until BIGINT, last_totp_step BIGINT)
                """,
                """
                CREATE TABLE console_sessions (
                    id_hash TEXT PRIMARY KEY, moderator_id TEXT NOT NULL REFERENCES moderators (id),
                    created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, ended_at BIGINT)
                """,
                "CREATE INDEX console_sessions_moderator ON console_sessions (moderator_id, ended_at)",
            ]
        },
        // Media previews in the console: where the platform serves a subject's media (the address,
        // never the media), and each moderator's own console settings, such as how strongly media is blurred.
        Migration(version: 11, name: "console media") { _ in
            [
                "ALTER TABLE subjects ADD COLUMN media_url TEXT",
                "ALTER TABLE subjects ADD COLUMN media_kind TEXT",
                """
                CREATE TABLE console_preferences (
                    moderator_id TEXT PRIMARY KEY REFERENCES moderators (id), media_blur BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
            ]
        },
        // The independence review follows the reports in the audit log: how far it has read. An
        // existing database starts at its newest event, its subjects' earlier reports having been
        // assessed by intake as they arrived.
        Migration(version: 12, name: "independence review") { _ in
            [
                "CREATE TABLE independence_review (id BIGINT PRIMARY KEY, after_seq BIGINT NOT NULL)",
                "INSERT INTO independence_review (id, after_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_events",
            ]
        },
    ]

    /// The newest schema version this build knows.
    static var latestVersion: Int { all.map(\.version).max() ?? 0 }
}

extension Store {
    /// Applies every migration newer than the database, each in its own transaction with its
    /// version row, so a failed step leaves the schema at the previous version. Returns the versions applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await migrate(through: Migrations.latestVersion)
    }

    /// Applies migrations up to `version` only: tests use it to build an older schema and upgrade it.
    @discardableResult
    func migrate(through version: Int) async throws -> [Int] {
        // Run by the server before it starts listening, beside the store's own start.
        await started.wait()
        try await writeRaw(lockChainHead: false) { sql in
            try await sql.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)").run()
        }
        var done: [Int] = []
        for migration in Migrations.all where migration.version <= version {
            // Checked inside the transaction: two nodes starting together apply each step once.
            let applied = try await writeRaw(lockChainHead: false) { sql -> Bool in
                let exists = try await sql.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first() != nil
                if exists { return false }
                for statement in migration.statements(self.engine) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await sql.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(migration.version, migration.name, Timestamp.now().milliseconds)
                    .run()
                return true
            }
            if applied { done.append(migration.version) }
        }
        return done
    }

    /// Versions recorded in `schema_migrations`; empty for a database never migrated.
    public func appliedMigrations() async throws -> Set<Int> {
        try await read { session in
            let exists = try await session.tableExists("schema_migrations")
            guard exists else { return [] }
            let rows = try await session.sql.raw("SELECT version FROM schema_migrations").all()
            return Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        }
    }

    /// Whether the schema is at the version this build expects (readiness).
    public func isMigrated() async throws -> Bool {
        try await appliedMigrations().contains(Migrations.latestVersion)
    }
}
