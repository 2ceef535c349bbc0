/// How serious a policy category is. Severity sets default thresholds and queue priority.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One community-guidelines category: what it is, how severe, how much credible weight takes a
/// subject of each kind down pending review, and how quickly a human must look.
public struct PolicyCategory: Sendable, Equatable {
    public var id: String
    public var title: String
    public var severity: Severity
    /// Weighted score at which a subject of each kind is taken down pending review.
    public var thresholds: [SubjectKind: Double]
    /// Hours within which a moderator must decide a case opened under this category.
    public var reviewDeadlineHours: Double
    /// The category of the EU Transparency Database statement of reasons.
    public var dsaCategory: String

    public init(
        id: String, title: String, severity: Severity, thresholds: [SubjectKind: Double],
        reviewDeadlineHours: Double, dsaCategory: String
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.thresholds = thresholds
        self.reviewDeadlineHours = reviewDeadlineHours
        self.dsaCategory = dsaCategory
    }

    public func threshold(for kind: SubjectKind) -> Double {
        // validate() guarantees every kind is present; the fallback only keeps this total.
        thresholds[kind] ?? .infinity
    }
}

/// The community guidelines as data, versioned. A decision records the version it was made under.
public struct Policy: Sendable, Equatable {
    public var version: String
    public var categories: [String: PolicyCategory]

    public init(version: String, categories: [PolicyCategory]) {
        self.version = version
        self.categories = Dictionary(categories.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func category(_ id: String) -> PolicyCategory? { categories[id] }

    /// Category ids in a stable order, for error messages and documents.
    public var categoryIDs: [String] { categories.keys.sorted() }

    /// Every problem with this policy, so a bad file is fixed in one go rather than one error per start.
    public func validate() -> [String] {
        var problems: [String] = []
        if version.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("version: must not be empty")
        }
        if categories.isEmpty {
            problems.append("categories: at least one category is required")
        }
        for id in categoryIDs {
            guard let category = categories[id] else { continue }
            let path = "categories.\(id)"
            if !PolicyCategory.isValidID(id) {
                problems.append("\(path): id must be lower-case letters, digits and underscores")
            }
            for kind in SubjectKind.allCases {
                guard let value = category.thresholds[kind] else {
                    problems.append("\(path).thresholds.\(kind.rawValue): missing")
                    continue
                }
                if !(value.isFinite && value > 0) {
                    problems.append("\(path).thresholds.\(kind.rawValue): must be a positive number")
                }
            }
            if !(category.reviewDeadlineHours.isFinite && category.reviewDeadlineHours > 0 && category.reviewDeadlineHours <= 8_760) {
                problems.append("\(path).review_deadline_hours: must be a positive number of hours, at most 8760 (a year)")
            }
            if !DSAStatementCategory.all.contains(category.dsaCategory) {
                problems.append("\(path).dsa_category: '\(category.dsaCategory)' is not a Transparency Database category")
            }
        }
        return problems
    }
}

extension PolicyCategory {
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }
}

import Foundation

/// The statement categories of the EU DSA Transparency Database (schema v2).
public enum DSAStatementCategory {
    public static let all: Set<String> = [
        "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
        "STATEMENT_CATEGORY_CYBER_VIOLENCE", "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
        "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
        "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
        "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
    ]
}
