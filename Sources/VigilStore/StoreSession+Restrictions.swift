import Foundation
import SQLKit
import VigilCore

extension StoreSession {
    /// Every restriction applied at or after `since`, oldest first: provisional takedowns (from the
    /// audit log), violation decisions, and account measures. Grounds are as recorded; the caller
    /// orders them by severity.
    public func restrictions(since: Timestamp) async throws -> [EnforcedRestriction] {
        var result: [EnforcedRestriction] = []

        // Provisional takedowns: state changes caused by reports crossing a threshold.
        let takedowns = try await sql.raw("""
            SELECT e.seq, e.subject_id, e.payload, e.occurred_at, s.kind, s.registered_at
            FROM audit_events e JOIN subjects s ON s.id = e.subject_id
            WHERE e.type = 'subject.state_changed' AND e.occurred_at >= \(bind: since.milliseconds) ORDER BY e.seq
            """).all()
        let subjectReports = try await reportTimes(subjectIDs: Set(try takedowns.map { try $0.decode(column: "subject_id", as: String.self) }))
        for row in takedowns {
            let change = try EventCoding.decode(SubjectStateChanged.self, from: try row.decode(column: "payload", as: String.self))
            // An automated measure with a decision (a suppression no moderator reviews) is exported as that decision.
            guard change.isAutomated, change.decisionId == nil, let ground = change.ground else { continue }
            let to = change.to
            let subjectID = try row.decode(column: "subject_id", as: String.self)
            let at = Timestamp(milliseconds: try row.decode(column: "occurred_at", as: Int64.self))
            // The reports that were undecided when the threshold was crossed.
            let channels = Set((subjectReports[subjectID] ?? []).filter { $0.received <= at && ($0.decided.map { $0 >= at } ?? true) }.map(\.channel))
            let seq = try row.decode(column: "seq", as: Int64.self)
            var restriction = EnforcedRestriction(
                puid: "ptd-\(seq)", measure: .visibility(to),
                subjectKind: SubjectKind(rawValue: try row.decode(column: "kind", as: String.self)),
                contentDate: Timestamp(milliseconds: try row.decode(column: "registered_at", as: Int64.self)), appliedAt: at, endsAt: nil,
                grounds: [ground], channels: channels, automatedDetection: change.cause == .automatedDetection, automatedDecision: .fully)
            restriction.takedownSequence = seq
            result.append(restriction)
        }

        // Moderators' violation decisions.
        let decisions = try await sql.raw("""
            SELECT d.id, d.case_id, d.policy_ids, d.resulting_state, d.automated, d.decided_at, s.kind, s.registered_at, c.detected_by
            FROM decisions d JOIN subjects s ON s.id = d.subject_id JOIN cases c ON c.id = d.case_id
            WHERE d.outcome = 'violation' AND d.decided_at >= \(bind: since.milliseconds) ORDER BY d.decided_at, d.id
            """).all()

        // Account measures brought by strikes (their channels are their decisions' cases').
        let actions = try await sql.raw("""
            SELECT a.id, a.action, a.starts_at, a.ends_at, a.creator_id, d.policy_ids, d.case_id, d.automated, c.detected_by,
              (SELECT MIN(registered_at) FROM subjects WHERE creator_id = a.creator_id) AS first_seen
            FROM account_actions a JOIN decisions d ON d.id = a.decision_id JOIN cases c ON c.id = d.case_id
            WHERE a.starts_at >= \(bind: since.milliseconds) ORDER BY a.starts_at, a.id
            """).all()
        let caseIDs = try (decisions + actions).map { try $0.decode(column: "case_id", as: String.self) }
        let channelsByCase = try await caseChannels(Set(caseIDs))
        for row in decisions {
            let state = try row.decode(column: "resulting_state", as: String.self)
            guard let resulting = VisibilityState(rawValue: state) else { throw StoreCorruption(detail: "decision state '\(state)'") }
            result.append(EnforcedRestriction(
                puid: try row.decode(column: "id", as: String.self), measure: .visibility(resulting),
                subjectKind: SubjectKind(rawValue: try row.decode(column: "kind", as: String.self)),
                contentDate: Timestamp(milliseconds: try row.decode(column: "registered_at", as: Int64.self)),
                appliedAt: Timestamp(milliseconds: try row.decode(column: "decided_at", as: Int64.self)), endsAt: nil,
                grounds: try row.decode(column: "policy_ids", as: String.self).split(separator: " ").map(String.init),
                channels: channelsByCase[try row.decode(column: "case_id", as: String.self)] ?? [],
                automatedDetection: try Self.detected(row), automatedDecision: try Self.automatedDecision(row)))
        }

        for row in actions {
            let action = try row.decode(column: "action", as: String.self)
            guard let kind = AccountActionKind(rawValue: action) else { throw StoreCorruption(detail: "account action '\(action)'") }
            let startsAt = Timestamp(milliseconds: try row.decode(column: "starts_at", as: Int64.self))
            result.append(EnforcedRestriction(
                puid: try row.decode(column: "id", as: String.self), measure: .account(kind), subjectKind: .account,
                contentDate: (try row.decode(column: "first_seen", as: Int64?.self)).map(Timestamp.init(milliseconds:)) ?? startsAt,
                appliedAt: startsAt, endsAt: try row.decode(column: "ends_at", as: Int64?.self).map(Timestamp.init(milliseconds:)),
                grounds: try row.decode(column: "policy_ids", as: String.self).split(separator: " ").map(String.init),
                channels: channelsByCase[try row.decode(column: "case_id", as: String.self)] ?? [],
                automatedDetection: try Self.detected(row), automatedDecision: try Self.automatedDecision(row)))
        }
        return result.sorted { ($0.appliedAt, $0.puid) < ($1.appliedAt, $1.puid) }
    }

    /// Whether automated detection raised the decided case.
    private static func detected(_ row: any SQLRow) throws -> Bool {
        try row.decode(column: "detected_by", as: String?.self) != nil
    }

    /// A decision no person made is fully automated; a moderator's decision on a case automated
    /// detection raised is partially so.
    private static func automatedDecision(_ row: any SQLRow) throws -> AutomatedDecision {
        if try row.decode(column: "automated", as: Int.self) != 0 { return .fully }
        return try detected(row) ? .partially : .notAutomated
    }

    /// The channels of each case's reports, for many cases in few statements.
    private func caseChannels(_ caseIDs: Set<String>) async throws -> [String: Set<ReportChannel>] {
        var result: [String: Set<ReportChannel>] = [:]
        for chunk in Array(caseIDs).chunked(into: 500) {
            var query: SQLQueryString = "SELECT DISTINCT o.case_id, r.channel FROM reports r JOIN report_outcomes o ON o.report_id = r.id WHERE o.case_id IN ("
            query.appendInterpolation(binds: Array(chunk))
            query.appendLiteral(")")
            for row in try await sql.raw(query).all() {
                guard let channel = ReportChannel(rawValue: try row.decode(column: "channel", as: String.self)) else { continue }
                result[try row.decode(column: "case_id", as: String.self), default: []].insert(channel)
            }
        }
        return result
    }

    /// When each report on the given subjects came and was decided, with its channel.
    private func reportTimes(subjectIDs: Set<String>) async throws -> [String: [(channel: ReportChannel, received: Timestamp, decided: Timestamp?)]] {
        var result: [String: [(channel: ReportChannel, received: Timestamp, decided: Timestamp?)]] = [:]
        for chunk in Array(subjectIDs).chunked(into: 500) {
            var query: SQLQueryString = """
                SELECT r.subject_id, r.channel, r.received_at, o.decided_at FROM reports r JOIN report_outcomes o ON o.report_id = r.id
                WHERE r.subject_id IN (
                """
            query.appendInterpolation(binds: Array(chunk))
            query.appendLiteral(")")
            for row in try await sql.raw(query).all() {
                guard let channel = ReportChannel(rawValue: try row.decode(column: "channel", as: String.self)) else { continue }
                result[try row.decode(column: "subject_id", as: String.self), default: []].append((
                    channel, Timestamp(milliseconds: try row.decode(column: "received_at", as: Int64.self)),
                    try row.decode(column: "decided_at", as: Int64?.self).map(Timestamp.init(milliseconds:))))
            }
        }
        return result
    }
}
