import Foundation
import VigilCore
import Yams

/// Reads detection rules from a YAML (or JSON) file, checked against the policy they act on.
/// Every problem is listed, each with its path in the file (`rules[2].when.all[0].signal.score_at_least`).
///
/// ```yaml
/// version: "2026-11-30"
/// precision_floor: {floor: 0.7, min_decisions: 20}
/// rules:
///   - id: nudity-suppress
///     title: Likely nudity in a video
///     policy: nudity
///     action: suppress          # allow | escalate | suppress | pending_review | remove
///     mode: live                # live | shadow | disabled
///     daily_cap: 5000
///     when:
///       all:
///         - signal: {type: classifier, label: nudity, score_at_least: 0.8}
///         - subject: {kind: [video, live]}
/// ```
public enum RuleSetLoader {
    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "invalid rules:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    /// Most rules a file may hold: every signal re-evaluates them all.
    public static let maxRules = 500
    static let ruleKeys: Set<String> = ["id", "title", "policy", "action", "mode", "review", "priority_boost", "daily_cap", "when"]
    static let signalKeys: Set<String> = ["type", "label", "source", "model", "score_at_least", "score_below", "distance_at_most", "value"]
    static let subjectKeys: Set<String> = ["kind", "views_at_least", "live_viewers_at_least", "creator_strikes_at_least", "creator_strikes_at_most"]

    public static func load(path: String, policy: Policy) throws -> RuleSet {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Invalid(problems: ["cannot read \(path)"])
        }
        return try parse(text, policy: policy)
    }

    public static func parse(_ source: String, policy: Policy) throws -> RuleSet {
        let root: Any?
        do { root = try Yams.load(yaml: source) } catch {
            throw Invalid(problems: ["not valid YAML or JSON: \(error)"])
        }
        guard let document = root as? [String: Any] else { throw Invalid(problems: ["the rules file must be a mapping with 'version' and 'rules'"]) }
        var problems = Problems()
        for key in document.keys.sorted() where !["version", "precision_floor", "rules"].contains(key) {
            problems.add(key, "unknown setting (accepted: version, precision_floor, rules)")
        }
        let version = text(document["version"])
        if version == nil || version?.isEmpty == true { problems.add("version", "missing: a rule file is versioned as a whole") }
        var floor = PrecisionFloor.standard
        if let raw = document["precision_floor"] {
            if let fields = raw as? [String: Any] {
                for key in fields.keys.sorted() where !["floor", "min_decisions"].contains(key) { problems.add("precision_floor.\(key)", "unknown setting") }
                if let value = fields["floor"] {
                    if let number = number(value), (0...1).contains(number) { floor.floor = number } else { problems.add("precision_floor.floor", "must be a number from 0 to 1") }
                }
                if let value = fields["min_decisions"] {
                    if let count = value as? Int, (1...1_000_000).contains(count) { floor.minDecisions = count } else {
                        problems.add("precision_floor.min_decisions", "must be a whole number from 1 to 1000000")
                    }
                }
            } else {
                problems.add("precision_floor", "must be a mapping with floor and min_decisions")
            }
        }
        var rules: [DetectionRule] = []
        if let list = document["rules"] as? [Any] {
            if list.count > maxRules { problems.add("rules", "at most \(maxRules) rules") }
            var seen = Set<String>()
            for (index, raw) in list.prefix(maxRules).enumerated() {
                if let id = ((raw as? [String: Any])?["id"]).flatMap(text), !seen.insert(id).inserted {
                    problems.add("rules[\(index)].id", "'\(id.prefix(64))' is used by an earlier rule")
                }
                if let rule = parseRule(raw, path: "rules[\(index)]", policy: policy, problems: &problems) { rules.append(rule) }
            }
        } else if document["rules"] == nil {
            problems.add("rules", "missing (a list of rules, which may be empty)")
        } else {
            problems.add("rules", "must be a list")
        }
        guard problems.list.isEmpty, let version else { throw Invalid(problems: problems.list) }
        return RuleSet(version: version, precisionFloor: floor, rules: rules)
    }

    struct Problems {
        var list: [String] = []
        mutating func add(_ path: String, _ detail: String) { list.append("\(path): \(detail)") }
    }

    private static func parseRule(_ raw: Any, path: String, policy: Policy, problems: inout Problems) -> DetectionRule? {
        guard let fields = raw as? [String: Any] else {
            problems.add(path, "must be a mapping")
            return nil
        }
        let before = problems.list.count
        for key in fields.keys.sorted() where !ruleKeys.contains(key) {
            problems.add("\(path).\(key)", "unknown setting (accepted: \(ruleKeys.sorted().joined(separator: ", ")))")
        }
        let id = text(fields["id"]) ?? ""
        if !isIdentifier(id) { problems.add("\(path).id", "must be 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit") }
        let policyID = text(fields["policy"]) ?? ""
        if policy.category(policyID) == nil {
            problems.add("\(path).policy", policyID.isEmpty ? "missing: the policy category the action rests on" : "'\(policyID.prefix(64))' is not a category of policy \(policy.version)")
        }
        let action = text(fields["action"]).flatMap(RuleAction.init(rawValue:))
        if action == nil { problems.add("\(path).action", "must be one of \(RuleAction.allCases.map(\.rawValue).joined(separator: ", "))") }
        var mode = RuleMode.live
        if let raw = fields["mode"] {
            if let parsed = text(raw).flatMap(RuleMode.init(rawValue:)) { mode = parsed } else {
                problems.add("\(path).mode", "must be one of \(RuleMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else {
            problems.add("\(path).mode", "missing: say live, shadow or disabled")
        }
        var review = true
        if let raw = fields["review"] {
            if let flag = raw as? Bool { review = flag } else { problems.add("\(path).review", "must be true or false") }
            if action != .suppress { problems.add("\(path).review", "applies to suppress only: every other restriction is reviewed") }
        }
        var boost = 0.0
        if let raw = fields["priority_boost"] {
            if let number = number(raw), (0...1_000).contains(number) { boost = number } else { problems.add("\(path).priority_boost", "must be a number from 0 to 1000") }
        }
        var cap: Int?
        if let raw = fields["daily_cap"] {
            if let count = raw as? Int, (1...10_000_000).contains(count) { cap = count } else { problems.add("\(path).daily_cap", "must be a whole number from 1 to 10000000") }
        }
        let title = text(fields["title"]) ?? id
        if title.count > 200 { problems.add("\(path).title", "at most 200 characters") }
        var condition: RuleCondition?
        if let when = fields["when"] {
            condition = parseCondition(when, path: "\(path).when", depth: 1, problems: &problems)
        } else {
            problems.add("\(path).when", "missing: the condition the rule tests")
        }
        guard problems.list.count == before, let action, let condition else { return nil }
        return DetectionRule(id: id, title: title, policy: policyID, action: action, mode: mode, review: review, priorityBoost: boost,
                             dailyCap: cap, condition: condition)
    }

    private static func parseCondition(_ raw: Any, path: String, depth: Int, problems: inout Problems) -> RuleCondition? {
        guard depth <= RuleCondition.maxDepth else {
            problems.add(path, "nested deeper than \(RuleCondition.maxDepth) levels")
            return nil
        }
        guard let fields = raw as? [String: Any], fields.count == 1, let entry = fields.first else {
            problems.add(path, "must be a mapping with exactly one of all, any, not, signal, subject")
            return nil
        }
        let (key, value) = (entry.key, entry.value)
        switch key {
        case "all", "any":
            guard let list = value as? [Any], !list.isEmpty else {
                problems.add("\(path).\(key)", "must be a non-empty list of conditions")
                return nil
            }
            let parts = list.enumerated().map { parseCondition($1, path: "\(path).\(key)[\($0)]", depth: depth + 1, problems: &problems) }
            let parsed = parts.compactMap { $0 }
            guard parsed.count == parts.count else { return nil }
            return key == "all" ? .all(parsed) : .any(parsed)
        case "not":
            return parseCondition(value, path: "\(path).not", depth: depth + 1, problems: &problems).map(RuleCondition.not)
        case "signal":
            return parseSignal(value, path: "\(path).signal", problems: &problems).map(RuleCondition.signal)
        case "subject":
            return parseSubject(value, path: "\(path).subject", problems: &problems).map(RuleCondition.subject)
        default:
            problems.add("\(path).\(key)", "unknown condition (accepted: all, any, not, signal, subject)")
            return nil
        }
    }

    private static func parseSignal(_ raw: Any, path: String, problems: inout Problems) -> SignalCondition? {
        guard let fields = raw as? [String: Any] else {
            problems.add(path, "must be a mapping")
            return nil
        }
        let before = problems.list.count
        for key in fields.keys.sorted() where !signalKeys.contains(key) {
            problems.add("\(path).\(key)", "unknown test (accepted: \(signalKeys.sorted().joined(separator: ", ")))")
        }
        let kind = text(fields["type"]).flatMap(SignalKind.init(rawValue:))
        if kind == nil { problems.add("\(path).type", "must be one of \(SignalKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        var condition = SignalCondition(kind: kind ?? .classifier)
        for (key, keyPath) in [("label", \SignalCondition.label), ("source", \.source), ("model", \.model), ("value", \.value)] {
            guard let raw = fields[key] else { continue }
            if let value = text(raw), !value.isEmpty, value.count <= Signal.maxValueLength { condition[keyPath: keyPath] = value } else {
                problems.add("\(path).\(key)", "must be a non-empty text")
            }
        }
        for (key, keyPath) in [("score_at_least", \SignalCondition.scoreAtLeast), ("score_below", \.scoreBelow)] {
            guard let raw = fields[key] else { continue }
            if let number = number(raw), (0...1).contains(number) { condition[keyPath: keyPath] = number } else {
                problems.add("\(path).\(key)", "must be a number from 0 to 1")
            }
            if kind != nil, kind != .classifier { problems.add("\(path).\(key)", "applies to classifier signals only") }
        }
        if let raw = fields["distance_at_most"] {
            if let count = raw as? Int, (0...Signal.maxDistance).contains(count) { condition.distanceAtMost = count } else {
                problems.add("\(path).distance_at_most", "must be a whole number from 0 to \(Signal.maxDistance)")
            }
            if kind != nil, kind != .hashMatch { problems.add("\(path).distance_at_most", "applies to hash_match signals only") }
        }
        guard problems.list.count == before else { return nil }
        return condition
    }

    private static func parseSubject(_ raw: Any, path: String, problems: inout Problems) -> SubjectCondition? {
        guard let fields = raw as? [String: Any], !fields.isEmpty else {
            problems.add(path, "must be a mapping with at least one test")
            return nil
        }
        let before = problems.list.count
        for key in fields.keys.sorted() where !subjectKeys.contains(key) {
            problems.add("\(path).\(key)", "unknown test (accepted: \(subjectKeys.sorted().joined(separator: ", ")))")
        }
        var condition = SubjectCondition()
        if let raw = fields["kind"] {
            let names = (raw as? [Any]) ?? [raw]
            let kinds = names.compactMap { text($0).flatMap(SubjectKind.init(rawValue:)) }
            if kinds.count == names.count, !kinds.isEmpty { condition.kinds = Set(kinds) } else {
                problems.add("\(path).kind", "must be one or a list of \(SubjectKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let counts: [(String, WritableKeyPath<SubjectCondition, Int?>, Int)] = [
            ("views_at_least", \.viewsAtLeast, Reach.maxCount), ("live_viewers_at_least", \.liveViewersAtLeast, Reach.maxCount),
            ("creator_strikes_at_least", \.creatorStrikesAtLeast, 1_000), ("creator_strikes_at_most", \.creatorStrikesAtMost, 1_000),
        ]
        for (key, keyPath, max) in counts {
            guard let raw = fields[key] else { continue }
            if let count = raw as? Int, (0...max).contains(count) { condition[keyPath: keyPath] = count } else {
                problems.add("\(path).\(key)", "must be a whole number from 0 to \(max)")
            }
        }
        guard problems.list.count == before else { return nil }
        return condition
    }

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let v as String: v
        case let v as Int: String(v)
        case let v as Double: String(v)
        // An unquoted `version: 2026-11-30` is read as a date.
        case let v as Date: Timestamp(milliseconds: Int64(v.timeIntervalSince1970 * 1_000)).calendarDate
        default: nil
        }
    }

    private static func number(_ value: Any) -> Double? {
        switch value {
        case let v as Double: v.isFinite ? v : nil
        case let v as Int: Double(v)
        default: nil
        }
    }

    private static func isIdentifier(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, (1...64).contains(id.unicodeScalars.count) else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")
        return id.unicodeScalars.allSatisfy(allowed.contains) && CharacterSet.alphanumerics.contains(first) && first != "." && first != "_" && first != "-"
    }
}
