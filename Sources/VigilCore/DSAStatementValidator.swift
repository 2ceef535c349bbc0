import Foundation

/// One problem with a statement of reasons, named by its field as the Transparency Database names it.
public struct DSAValidationIssue: Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var description: String { "\(field): \(message)" }
}

/// Checks a statement of reasons against the DSA Transparency Database submission rules (schema
/// v2): types, allowed values, lengths, formats, and the conditional rules (an `_other` text when
/// `OTHER` is chosen, the legal or contractual ground that matches `decision_ground`, at least one
/// decision). Works on parsed JSON, so it judges exactly what would be sent.
public enum DSAStatementValidator {
    static let eeaCountries: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT",
        "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
    ]

    /// The problems with one statement (a JSON object); empty when it would be accepted.
    public static func validate(_ statement: [String: Any]) -> [DSAValidationIssue] {
        var check = Checker(statement: statement)
        check.run()
        return check.issues
    }

    /// The problems with a bulk body `{"statements": [...]}` (1 to 100 statements, unique puids),
    /// each issue's field prefixed `statement_<index>.` as the API reports them.
    public static func validateBulk(_ body: [String: Any]) -> [DSAValidationIssue] {
        guard let statements = body["statements"] as? [Any] else { return [DSAValidationIssue(field: "statements", message: "must be an array")] }
        var issues: [DSAValidationIssue] = []
        if !(1...100).contains(statements.count) { issues.append(DSAValidationIssue(field: "statements", message: "must hold 1 to 100 statements")) }
        var puids = Set<String>()
        for (index, item) in statements.enumerated() {
            guard let statement = item as? [String: Any] else {
                issues.append(DSAValidationIssue(field: "statement_\(index)", message: "must be an object"))
                continue
            }
            issues += validate(statement).map { DSAValidationIssue(field: "statement_\(index).\($0.field)", message: $0.message) }
            if let puid = statement["puid"] as? String, !puids.insert(puid).inserted {
                issues.append(DSAValidationIssue(field: "statement_\(index).puid", message: "duplicates another statement's puid"))
            }
        }
        return issues
    }

    private struct Checker {
        let statement: [String: Any]
        var issues: [DSAValidationIssue] = []

        init(statement: [String: Any]) { self.statement = statement }

        mutating func fail(_ field: String, _ message: String) { issues.append(DSAValidationIssue(field: field, message: message)) }

        /// Absent, JSON null, and the validator's quirk of the literal string "null" all mean "not given".
        func isAbsent(_ field: String) -> Bool {
            guard let value = statement[field] else { return true }
            return value is NSNull || (value as? String) == "null"
        }

        func string(_ field: String) -> String? { isAbsent(field) ? nil : statement[field] as? String }

        mutating func run() {
            // Decisions: at least one, each from its list, with its "other" text when OTHER is chosen.
            let visibility = stringArray("decision_visibility", nullable: true)
            enumValue("decision_monetary", nullable: true)
            enumValue("decision_provision", nullable: true)
            enumValue("decision_account", nullable: true)
            let given = (visibility?.isEmpty == false) || ["decision_monetary", "decision_provision", "decision_account"].contains { string($0)?.isEmpty == false }
            if !given { fail("decision_visibility", "at least one of decision_visibility, decision_monetary, decision_provision, decision_account is required") }
            if visibility?.contains("DECISION_VISIBILITY_OTHER") == true { requiredText("decision_visibility_other", max: 500) }
            if string("decision_monetary") == "DECISION_MONETARY_OTHER" { requiredText("decision_monetary_other", max: 500) }
            enumValue("account_type", nullable: true)

            requiredText("decision_facts", max: 5_000)
            let ground = enumValue("decision_ground", required: true)
            optionalText("decision_ground_reference_url", max: 500, url: true)
            switch ground {
            case "DECISION_GROUND_ILLEGAL_CONTENT":
                requiredText("illegal_content_legal_ground", max: 500)
                requiredText("illegal_content_explanation", max: 2_000)
            case "DECISION_GROUND_INCOMPATIBLE_CONTENT":
                requiredText("incompatible_content_ground", max: 500)
                requiredText("incompatible_content_explanation", max: 2_000)
                enumValue("incompatible_content_illegal", nullable: true)
            default:
                break
            }

            let contentTypes = stringArray("content_type", nullable: false)
            if contentTypes == nil || contentTypes?.isEmpty == true, !issues.contains(where: { $0.field == "content_type" }) {
                fail("content_type", "is required: a non-empty array")
            }
            if contentTypes?.contains("CONTENT_TYPE_OTHER") == true { requiredText("content_type_other", max: 500) }

            enumValue("category", required: true)
            _ = stringArray("category_addition", nullable: true)
            _ = stringArray("category_specification", nullable: true)
            optionalText("category_specification_other", max: 500)
            if let scope = stringArray("territorial_scope", nullable: true, checkEnum: false) {
                for code in scope where !DSAStatementValidator.eeaCountries.contains(code) {
                    fail("territorial_scope", "'\(code)' is not an EU/EEA country code")
                }
            }
            enumValue("content_language", nullable: true)

            date("content_date", required: true, min: "2000-01-01", max: "2038-01-01")
            date("application_date", required: true, min: "2020-01-01", max: "2038-01-01")
            for field in ["end_date_account_restriction", "end_date_monetary_restriction", "end_date_service_restriction", "end_date_visibility_restriction"] {
                date(field, required: false, min: nil, max: "2038-01-01")
            }

            let source = enumValue("source_type", required: true)
            if source != "SOURCE_VOLUNTARY" { optionalText("source_identity", max: 500) }
            enumValue("automated_detection", required: true)
            enumValue("automated_decision", required: true)

            if let puid = requiredText("puid", max: 500),
               !puid.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) {
                fail("puid", "may hold only letters, digits, '-' and '_'")
            }
            if !isAbsent("content_id") {
                if let ids = statement["content_id"] as? [String: Any] {
                    if let ean = ids["EAN-13"], !isEAN(ean) { fail("content_id.EAN-13", "must be 13 digits") }
                } else {
                    fail("content_id", "must be an object")
                }
            }
            if !isAbsent("content_id_ean"), !isEAN(statement["content_id_ean"] as Any) { fail("content_id_ean", "must be 13 digits") }
        }

        func isEAN(_ value: Any) -> Bool {
            guard let text = value as? String else { return false }
            return text.count == 13 && text.allSatisfy { $0.isASCII && $0.isNumber }
        }

        @discardableResult
        mutating func enumValue(_ field: String, required: Bool = false, nullable: Bool = false) -> String? {
            if isAbsent(field) {
                if required || (statement[field] is NSNull && !nullable) { fail(field, "is required") }
                return nil
            }
            guard let value = statement[field] as? String else {
                fail(field, "must be a string")
                return nil
            }
            guard DSAStatementValidator.enums[field]?.contains(value) ?? false else {
                fail(field, "'\(value.prefix(80))' is not an allowed value")
                return nil
            }
            return value
        }

        mutating func stringArray(_ field: String, nullable: Bool, checkEnum: Bool = true) -> [String]? {
            if isAbsent(field) { return nil }
            guard let values = statement[field] as? [Any] else {
                fail(field, "must be an array")
                return nil
            }
            var strings: [String] = []
            for value in values {
                guard let text = value as? String else {
                    fail(field, "must hold only strings")
                    return nil
                }
                if checkEnum, !(DSAStatementValidator.enums[field]?.contains(text) ?? false) {
                    fail(field, "'\(text.prefix(80))' is not an allowed value")
                }
                strings.append(text)
            }
            return strings
        }

        @discardableResult
        mutating func requiredText(_ field: String, max: Int) -> String? {
            guard !isAbsent(field) else {
                fail(field, "is required")
                return nil
            }
            return optionalText(field, max: max)
        }

        @discardableResult
        mutating func optionalText(_ field: String, max: Int, url: Bool = false) -> String? {
            if isAbsent(field) { return nil }
            guard let text = statement[field] as? String else {
                fail(field, "must be a string")
                return nil
            }
            if text.trimmingCharacters(in: .whitespaces).isEmpty { fail(field, "must not be empty") }
            if text.count > max { fail(field, "must be at most \(max) characters") }
            if url {
                guard let parsed = URL(string: text), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host?.contains(".") == true else {
                    fail(field, "must be a valid URL")
                    return text
                }
            }
            return text
        }

        mutating func date(_ field: String, required: Bool, min: String?, max: String) {
            guard !isAbsent(field) else {
                if required { fail(field, "is required") }
                return
            }
            guard let text = statement[field] as? String, Self.isCalendarDate(text) else {
                fail(field, "must be a date in the form YYYY-MM-DD")
                return
            }
            // Zero-padded ISO dates order as strings.
            if let min, text < min { fail(field, "must be on or after \(min)") }
            if text > max { fail(field, "must be on or before \(max)") }
        }

        static func isCalendarDate(_ text: String) -> Bool {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m) else { return false }
            let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            return (1...days[m - 1]).contains(d)
        }
    }
}
