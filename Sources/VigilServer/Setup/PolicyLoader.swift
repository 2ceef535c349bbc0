import Foundation
import VigilCore
import Yams

/// Reads community guidelines from a YAML (or JSON, which YAML includes) file.
///
/// ```yaml
/// version: "2026-11"
/// categories:
///   child_safety:
///     title: Child safety
///     severity: critical
///     thresholds: {video: 1, live: 0.8, comment: 1, account: 1}
///     review_deadline_hours: 1
///     dsa_category: STATEMENT_CATEGORY_PROTECTION_OF_MINORS
/// ```
public enum PolicyLoader {
    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "invalid policy:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    public static func load(path: String) throws -> Policy {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Invalid(problems: ["cannot read \(path)"])
        }
        return try parse(text)
    }

    /// Parses and validates, listing every problem found rather than the first.
    public static func parse(_ text: String) throws -> Policy {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw Invalid(problems: ["not valid YAML or JSON: \(error)"])
        }
        guard let document = root as? [String: Any] else { throw Invalid(problems: ["the policy must be a mapping with 'version' and 'categories'"]) }
        var problems: [String] = []
        let version = (document["version"] as? String) ?? (document["version"].map { "\($0)" } ?? "")
        if document["version"] == nil { problems.append("version: missing") }
        var categories: [PolicyCategory] = []
        if let raw = document["categories"] as? [String: Any] {
            for id in raw.keys.sorted() {
                if let category = parseCategory(id: id, raw[id], problems: &problems) { categories.append(category) }
            }
        } else {
            problems.append("categories: missing, or not a mapping of category id to its settings")
        }
        let policy = Policy(version: version, categories: categories)
        for problem in policy.validate() where !problems.contains(problem) { problems.append(problem) }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return policy
    }

    private static func parseCategory(id: String, _ value: Any?, problems: inout [String]) -> PolicyCategory? {
        let path = "categories.\(id)"
        guard let fields = value as? [String: Any] else {
            problems.append("\(path): must be a mapping")
            return nil
        }
        let before = problems.count
        let title = fields["title"] as? String ?? id
        var severity = Severity.low
        if let text = fields["severity"] as? String, let parsed = Severity(rawValue: text) {
            severity = parsed
        } else {
            problems.append("\(path).severity: must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var thresholds: [SubjectKind: Double] = [:]
        if let raw = fields["thresholds"] as? [String: Any] {
            for (key, value) in raw {
                guard let kind = SubjectKind(rawValue: key) else {
                    problems.append("\(path).thresholds.\(key): not a subject kind")
                    continue
                }
                guard let number = number(value) else {
                    problems.append("\(path).thresholds.\(key): must be a number")
                    continue
                }
                thresholds[kind] = number
            }
        } else {
            problems.append("\(path).thresholds: missing (a mapping of video, live, comment, account to a weight)")
        }
        let deadline = number(fields["review_deadline_hours"] as Any)
        if deadline == nil { problems.append("\(path).review_deadline_hours: must be a number") }
        let dsa = fields["dsa_category"] as? String
        if dsa == nil { problems.append("\(path).dsa_category: missing") }
        for key in fields.keys where !["title", "severity", "thresholds", "review_deadline_hours", "dsa_category"].contains(key) {
            problems.append("\(path).\(key): unknown setting")
        }
        guard problems.count == before else {
            // Still check what can be checked (missing kinds, bad DSA category) for a complete list.
            let partial = PolicyCategory(id: id, title: title, severity: severity, thresholds: thresholds, reviewDeadlineHours: deadline ?? 1, dsaCategory: dsa ?? "STATEMENT_CATEGORY_OTHER_VIOLATION_TC")
            problems += Policy(version: "v", categories: [partial]).validate()
            return nil
        }
        return PolicyCategory(id: id, title: title, severity: severity, thresholds: thresholds, reviewDeadlineHours: deadline ?? 1, dsaCategory: dsa ?? "")
    }

    private static func number(_ value: Any) -> Double? {
        switch value {
        case let v as Double: v
        case let v as Int: Double(v)
        default: nil
        }
    }
}
