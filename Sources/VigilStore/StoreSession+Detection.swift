import SQLKit
import VigilCore

/// Signals, rule matches and their outcomes, and rules' automatic modes.
extension StoreSession {
    // MARK: Signals

    /// Records the signals not recorded before under their `(source, id)`; returns those it recorded,
    /// in the order given. A repeat within `signals` counts once.
    public func insertSignals(_ signals: [Signal]) async throws -> [Signal] {
        guard !signals.isEmpty else { return [] }
        // One statement: the rows already there are skipped, and the ones written come back.
        var unique: [Signal] = []
        var seen = Set<String>()
        for signal in signals where seen.insert(Self.signalKey(signal.source, signal.id)).inserted { unique.append(signal) }
        var written = Set<String>()
        for chunk in unique.chunked(into: 200) {
            var insert = sql.insert(into: "signals").columns(
                "source", "id", "subject_id", "kind", "label", "score", "distance", "value", "model", "model_version", "received_at")
            for s in chunk {
                insert = insert.values(s.source, s.id, s.subjectID, s.kind.rawValue, s.label, s.score, s.distance, s.value, s.model, s.modelVersion,
                                       s.receivedAt.milliseconds)
            }
            let rows = try await insert.ignoringConflicts(with: ["source", "id"]).returning("source", "id").all()
            for row in rows {
                written.insert(Self.signalKey(try row.decode(column: "source", as: String.self), try row.decode(column: "id", as: String.self)))
            }
        }
        return unique.filter { written.contains(Self.signalKey($0.source, $0.id)) }
    }

    private static func signalKey(_ source: String, _ id: String) -> String { "\(source)\u{0}\(id)" }

    /// A subject's signals, newest first, at most `limit`.
    public func signals(subjectID: String, limit: Int) async throws -> [Signal] {
        try await sql.raw("""
            SELECT * FROM signals WHERE subject_id = \(bind: subjectID) ORDER BY received_at DESC, source, id LIMIT \(literal: limit)
            """).all().map(Self.decodeSignal)
    }

    static func decodeSignal(_ row: any SQLRow) throws -> Signal {
        let kind = try row.decode(column: "kind", as: String.self)
        guard let parsed = SignalKind(rawValue: kind) else { throw StoreCorruption(detail: "signal kind '\(kind)'") }
        return Signal(
            source: try row.decode(column: "source", as: String.self), id: try row.decode(column: "id", as: String.self),
            subjectID: try row.decode(column: "subject_id", as: String.self), kind: parsed, label: try row.decode(column: "label", as: String.self),
            score: try row.decode(column: "score", as: Double?.self), distance: try row.decode(column: "distance", as: Int?.self),
            value: try row.decode(column: "value", as: String?.self), model: try row.decode(column: "model", as: String?.self),
            modelVersion: try row.decode(column: "model_version", as: String?.self),
            receivedAt: Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)))
    }

    // MARK: Rule matches

    public func insertRuleMatches(_ matches: [RuleMatchRecord]) async throws {
        guard !matches.isEmpty else { return }
        var insert = sql.insert(into: "rule_matches").columns(
            "id", "rule_id", "rule_set_version", "subject_id", "case_id", "mode", "declared_action", "action", "applied", "matched_at")
        for m in matches {
            insert = insert.values(m.id, m.ruleID, m.ruleSetVersion, m.subjectID, m.caseID, m.mode.rawValue, m.declaredAction.rawValue,
                                   m.action.rawValue, m.applied ? 1 : 0, m.matchedAt.milliseconds)
        }
        try await insert.run()
    }

    /// The rules of a rule-set version that already matched a subject.
    public func matchedRules(subjectID: String, ruleSetVersion: String) async throws -> Set<String> {
        // No DISTINCT: it would lead the planner to the version index, ordered by rule, and so to
        // every match of the version; a subject has few matches, deduplicated here.
        Set(try await sql.raw("""
            SELECT rule_id FROM rule_matches WHERE subject_id = \(bind: subjectID) AND rule_set_version = \(bind: ruleSetVersion)
            """).all().map { try $0.decode(column: "rule_id", as: String.self) })
    }

    /// A subject's rule matches, newest first.
    public func ruleMatches(subjectID: String, limit: Int) async throws -> [RuleMatchRecord] {
        try await sql.raw("""
            SELECT * FROM rule_matches WHERE subject_id = \(bind: subjectID) ORDER BY matched_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(Self.decodeRuleMatch)
    }

    /// Each named rule's restricting live matches since `time`, counted up to its cap (the daily
    /// cap's count: past the cap the exact number does not matter, so no more rows are read).
    public func ruleActions(ruleSetVersion: String, caps: [String: Int], since time: Timestamp) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for (ruleID, cap) in caps.sorted(by: { $0.key < $1.key }) {
            counts[ruleID] = try await sql.raw("""
                SELECT COUNT(*) AS n FROM (
                  SELECT 1 FROM rule_matches
                  WHERE rule_set_version = \(bind: ruleSetVersion) AND rule_id = \(bind: ruleID) AND matched_at >= \(bind: time.milliseconds)
                    AND mode = 'live' AND action IN ('suppress', 'pending_review', 'remove')
                  LIMIT \(literal: max(1, cap))) capped
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return counts
    }

    /// Records a moderator's decision on a subject against every match on it that has no verdict
    /// yet; returns the rules concerned.
    public func recordRuleOutcome(subjectID: String, decisionID: String, outcome: RuleMatchRecord.Outcome, appealGranted: Bool = false,
                                  at time: Timestamp) async throws -> Set<RuleKey> {
        let rows = try await sql.raw("""
            UPDATE rule_matches SET decision_id = \(bind: decisionID), outcome = \(bind: outcome.rawValue), decided_at = \(bind: time.milliseconds),
              appeal_granted = \(bind: appealGranted ? 1 : 0)
            WHERE subject_id = \(bind: subjectID) AND outcome IS NULL
            RETURNING rule_set_version, rule_id
            """).all()
        return Set(try rows.map(Self.decodeRuleKey))
    }

    /// A granted appeal reversed `decisionID`: the matches it upheld are overturned after all.
    public func overturnRuleMatches(decisionID: String, at time: Timestamp) async throws -> Set<RuleKey> {
        let rows = try await sql.raw("""
            UPDATE rule_matches SET outcome = 'overturned', appeal_granted = 1, decided_at = \(bind: time.milliseconds)
            WHERE decision_id = \(bind: decisionID)
            RETURNING rule_set_version, rule_id
            """).all()
        return Set(try rows.map(Self.decodeRuleKey))
    }

    private static func decodeRuleKey(_ row: any SQLRow) throws -> RuleKey {
        RuleKey(ruleSetVersion: try row.decode(column: "rule_set_version", as: String.self), ruleID: try row.decode(column: "rule_id", as: String.self))
    }

    /// Per-rule figures for a rule-set version.
    public func ruleStats(ruleSetVersion: String) async throws -> [String: RuleStats] {
        var stats: [String: RuleStats] = [:]
        for row in try await sql.raw("""
            SELECT rule_id, COUNT(*) AS hits,
              CAST(SUM(CASE WHEN mode = 'live' AND action <> 'allow' THEN 1 ELSE 0 END) AS BIGINT) AS actions,
              CAST(SUM(CASE WHEN outcome = 'upheld' THEN 1 ELSE 0 END) AS BIGINT) AS upheld,
              CAST(SUM(CASE WHEN outcome = 'overturned' THEN 1 ELSE 0 END) AS BIGINT) AS overturned,
              CAST(SUM(appeal_granted) AS BIGINT) AS appeals
            FROM rule_matches WHERE rule_set_version = \(bind: ruleSetVersion) GROUP BY rule_id
            """).all() {
            let id = try row.decode(column: "rule_id", as: String.self)
            stats[id] = RuleStats(
                ruleID: id, hits: try row.decode(column: "hits", as: Int.self), actions: try row.decode(column: "actions", as: Int?.self) ?? 0,
                upheld: try row.decode(column: "upheld", as: Int?.self) ?? 0, overturned: try row.decode(column: "overturned", as: Int?.self) ?? 0,
                appealsGranted: try row.decode(column: "appeals", as: Int?.self) ?? 0)
        }
        return stats
    }

    /// Upheld and overturned matches of the given rules: what a demotion weighs, read through the
    /// verdict index, so a decision never counts a busy rule's undecided matches.
    public func ruleVerdicts(ruleSetVersion: String, ruleIDs: some Collection<String>) async throws -> [String: RuleStats] {
        guard !ruleIDs.isEmpty else { return [:] }
        var query: SQLQueryString = """
            SELECT rule_id, outcome, COUNT(*) AS n FROM rule_matches
            WHERE rule_set_version = \(bind: ruleSetVersion) AND outcome IS NOT NULL AND rule_id IN (
            """
        query.appendInterpolation(binds: Array(ruleIDs))
        query.appendLiteral(") GROUP BY rule_id, outcome")
        var stats: [String: RuleStats] = [:]
        for row in try await sql.raw(query).all() {
            let id = try row.decode(column: "rule_id", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            var figures = stats[id] ?? RuleStats(ruleID: id)
            switch try row.decode(column: "outcome", as: String.self) {
            case RuleMatchRecord.Outcome.upheld.rawValue: figures.upheld += n
            case RuleMatchRecord.Outcome.overturned.rawValue: figures.overturned += n
            case let other: throw StoreCorruption(detail: "rule match outcome '\(other)'")
            }
            stats[id] = figures
        }
        return stats
    }

    static func decodeRuleMatch(_ row: any SQLRow) throws -> RuleMatchRecord {
        let mode = try row.decode(column: "mode", as: String.self)
        let declared = try row.decode(column: "declared_action", as: String.self)
        let action = try row.decode(column: "action", as: String.self)
        guard let m = RuleMode(rawValue: mode), let d = RuleAction(rawValue: declared), let a = RuleAction(rawValue: action) else {
            throw StoreCorruption(detail: "rule match with mode '\(mode)', action '\(action)'")
        }
        var record = RuleMatchRecord(
            id: try row.decode(column: "id", as: String.self), ruleID: try row.decode(column: "rule_id", as: String.self),
            ruleSetVersion: try row.decode(column: "rule_set_version", as: String.self), subjectID: try row.decode(column: "subject_id", as: String.self),
            caseID: try row.decode(column: "case_id", as: String?.self), mode: m, declaredAction: d, action: a,
            applied: try row.decode(column: "applied", as: Int.self) != 0,
            matchedAt: Timestamp(milliseconds: try row.decode(column: "matched_at", as: Int64.self)))
        record.decisionID = try row.decode(column: "decision_id", as: String?.self)
        record.outcome = try row.decode(column: "outcome", as: String?.self).flatMap(RuleMatchRecord.Outcome.init(rawValue:))
        record.appealGranted = try row.decode(column: "appeal_granted", as: Int.self) != 0
        return record
    }

    // MARK: Rule modes

    /// Modes set without a new rule file (automatic demotion), for a rule-set version.
    public func ruleModes(ruleSetVersion: String) async throws -> [String: RuleModeOverride] {
        var modes: [String: RuleModeOverride] = [:]
        for row in try await sql.raw("SELECT rule_id, mode, reason, changed_at FROM rule_modes WHERE rule_set_version = \(bind: ruleSetVersion)").all() {
            let mode = try row.decode(column: "mode", as: String.self)
            guard let parsed = RuleMode(rawValue: mode) else { throw StoreCorruption(detail: "rule mode '\(mode)'") }
            modes[try row.decode(column: "rule_id", as: String.self)] = RuleModeOverride(
                mode: parsed, reason: try row.decode(column: "reason", as: String.self),
                changedAt: Timestamp(milliseconds: try row.decode(column: "changed_at", as: Int64.self)))
        }
        return modes
    }

    public func setRuleMode(_ key: RuleKey, mode: RuleMode, reason: String, at time: Timestamp) async throws {
        try await sql.raw("""
            INSERT INTO rule_modes (rule_set_version, rule_id, mode, reason, changed_at)
            VALUES (\(bind: key.ruleSetVersion), \(bind: key.ruleID), \(bind: mode.rawValue), \(bind: reason), \(bind: time.milliseconds))
            ON CONFLICT (rule_set_version, rule_id) DO UPDATE SET mode = excluded.mode, reason = excluded.reason, changed_at = excluded.changed_at
            """).run()
    }
}

/// A rule's mode set without a new rule file, and why.
public struct RuleModeOverride: Sendable, Equatable {
    public var mode: RuleMode
    public var reason: String
    public var changedAt: Timestamp
}

/// A rule within the rule-set version it belongs to.
public struct RuleKey: Sendable, Hashable {
    public var ruleSetVersion: String
    public var ruleID: String

    public init(ruleSetVersion: String, ruleID: String) {
        self.ruleSetVersion = ruleSetVersion
        self.ruleID = ruleID
    }
}
