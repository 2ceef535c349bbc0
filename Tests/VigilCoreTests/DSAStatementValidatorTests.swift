import Foundation
import Testing
@testable import VigilCore

/// The validator against the Transparency Database's own examples (../shared/reference).
@Suite("DSA statement-of-reasons validator")
struct DSAStatementValidatorTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var payload: String
        var testDescription: String { name }
    }

    static let examplesURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/reference/dsa-sor-examples.json")

    /// The examples are shared reference data beside the clone, not part of it. A clone without
    /// them skips these tests, saying so; under CI (`CI=true`) they must be there.
    static let referenceAvailable = FileManager.default.fileExists(atPath: examplesURL.path)
        || ProcessInfo.processInfo.environment["CI"] == "true"

    static func examples(_ key: String) -> [Example] {
        guard let data = try? Data(contentsOf: examplesURL),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = root[key] as? [[String: Any]] else { return [] }
        return list.compactMap { item in
            guard let name = item["name"] as? String, let payload = item["payload"],
                  let text = try? JSONSerialization.data(withJSONObject: payload) else { return nil }
            return Example(name: name, payload: String(decoding: text, as: UTF8.self))
        }
    }

    static func issues(_ example: Example) throws -> [DSAValidationIssue] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(example.payload.utf8)) as? [String: Any])
        return object["statements"] != nil ? DSAStatementValidator.validateBulk(object) : DSAStatementValidator.validate(object)
    }

    @Test("the reference examples are there to test against", .enabled(if: referenceAvailable, "../shared/reference is not beside this clone"))
    func examplesPresent() {
        #expect(Self.examples("valid").count == 5)
        #expect(Self.examples("invalid").count == 11)
    }

    @Test("accepts every valid example", .enabled(if: referenceAvailable, "../shared/reference is not beside this clone"), arguments: examples("valid"))
    func valid(_ example: Example) throws {
        #expect(try Self.issues(example) == [])
    }

    @Test("rejects every invalid example", .enabled(if: referenceAvailable, "../shared/reference is not beside this clone"), arguments: examples("invalid"))
    func invalid(_ example: Example) throws {
        #expect(!(try Self.issues(example)).isEmpty)
    }

    /// Each row changes one field of a valid statement (the value as JSON) and names the field that must be reported.
    @Test("conditional rules", arguments: [
        ("decision_ground", #""DECISION_GROUND_INCOMPATIBLE_CONTENT""#, "incompatible_content_ground"),
        ("decision_visibility", #"["DECISION_VISIBILITY_OTHER"]"#, "decision_visibility_other"),
        ("decision_visibility", "null", "decision_visibility"),
        ("decision_monetary", #""DECISION_MONETARY_OTHER""#, "decision_monetary_other"),
        ("content_type", #"["CONTENT_TYPE_OTHER"]"#, "content_type_other"),
        ("content_type", "[]", "content_type"),
        ("application_date", #""2024-02-30""#, "application_date"),
        ("content_date", #""1999-12-31""#, "content_date"),
        ("puid", #""has space""#, "puid"),
        ("automated_detection", #""yes""#, "automated_detection"),
        ("territorial_scope", #"["US"]"#, "territorial_scope"),
        ("decision_facts", #""\#(String(repeating: "x", count: 5_001))""#, "decision_facts"),
    ])
    func conditional(field: String, json: String, expectedField: String) throws {
        var statement = Self.minimal()
        statement[field] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        let issues = DSAStatementValidator.validate(statement)
        #expect(issues.contains { $0.field == expectedField }, "\(issues)")
        #expect(DSAStatementValidator.validate(Self.minimal()).isEmpty)
    }

    static func minimal() -> [String: Any] { [
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": "Criminal code, section 1",
        "illegal_content_explanation": "Unlawful content",
        "decision_facts": "Removed after review",
        "content_type": ["CONTENT_TYPE_VIDEO"],
        "category": "STATEMENT_CATEGORY_VIOLENCE",
        "content_date": "2026-01-02",
        "application_date": "2026-01-03",
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "dec_01abc",
    ] }
}
