import Foundation
import VigilCore
import VigilStore

/// The statement-of-reasons export for the EU Transparency Database: every restriction since a
/// date as JSON lines, each line one bulk request body `{"statements": [...]}` of at most 100.
/// Every statement is checked by ``DSAStatementValidator`` first; an invalid one stops the export.
public struct StatementExport: Sendable {
    let store: Store
    let policy: Policy
    let keyring: ReporterKeyring

    public static let statementsPerRequest = 100

    public struct Invalid: Error, CustomStringConvertible {
        public var issues: [String]
        public var description: String { "statements failed validation:\n" + issues.map { "  - \($0)" }.joined(separator: "\n") }
    }

    public init(store: Store, policy: Policy, keyring: ReporterKeyring) {
        self.store = store
        self.policy = policy
        self.keyring = keyring
    }

    /// The statements, validated, as JSON objects ready to send.
    public func statements(since: Timestamp) async throws -> [[String: Any]] {
        let restrictions = try await store.read { try await $0.restrictions(since: since) }
        let encoder = JSONEncoder()
        var statements: [[String: Any]] = []
        var issues: [String] = []
        for restriction in restrictions {
            var ordered = restriction
            // A provisional takedown has no decision id; its audit sequence number would publish
            // the overall volume of activity, so the regulator sees a keyed, stable stand-in.
            if let seq = restriction.takedownSequence { ordered.puid = "ptd-" + keyring.publicID(for: "takedown:\(seq)") }
            // The most severe ground leads: it becomes the statement's category.
            ordered.grounds = restriction.grounds.sorted { (policy.category($0)?.severity ?? .low) > (policy.category($1)?.severity ?? .low) }
            guard let statement = DSAStatement(ordered, policy: policy) else { continue }
            guard let object = try JSONSerialization.jsonObject(with: try encoder.encode(statement)) as? [String: Any] else { continue }
            issues += DSAStatementValidator.validate(object).map { "\(restriction.puid): \($0)" }
            statements.append(object)
        }
        guard issues.isEmpty else { throw Invalid(issues: issues) }
        return statements
    }

    /// The JSON lines: one bulk request body per line.
    public func bulkLines(since: Timestamp) async throws -> (lines: [String], statements: Int) {
        let statements = try await statements(since: since)
        let lines = try stride(from: 0, to: statements.count, by: Self.statementsPerRequest).map { start in
            let chunk = Array(statements[start..<min(start + Self.statementsPerRequest, statements.count)])
            let data = try JSONSerialization.data(withJSONObject: ["statements": chunk], options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        }
        return (lines, statements.count)
    }
}
