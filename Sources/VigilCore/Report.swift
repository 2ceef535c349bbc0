/// How a report reached Vigil. The channel decides its weight and, later, the DSA `source_type`.
public enum ReportChannel: String, Codable, Sendable, CaseIterable {
    /// An ordinary user's report through the platform's report button.
    case userReport = "user_report"
    /// A notice of illegal content under DSA Art. 16, with its legal fields.
    case illegalContentNotice = "illegal_content_notice"
    /// A report by a trusted flagger (DSA Art. 22); the platform vouches for it with its API key's scope.
    case trustedFlagger = "trusted_flagger"
}

/// Where a report stands, as its reporter sees it.
public enum ReportStatus: String, Codable, Sendable {
    case open
    case actionTaken = "action_taken"
    case noViolation = "no_violation"
}

/// The legal fields of a DSA Art. 16 notice. The notifier's name and email identify a person, so they
/// are sealed with the reporter id and never stored in plain text; the explanation and location are
/// about the content and are kept readable for moderators.
public struct IllegalContentNotice: Sendable, Equatable {
    /// Why the notifier considers the content illegal (Art. 16(2)(a)).
    public var explanation: String
    /// The exact electronic location of the content (Art. 16(2)(b)).
    public var locationURL: String
    /// The law the notifier relies on, if they name it.
    public var legalGround: String?
    /// The notifier's name and email (Art. 16(2)(c)); sealed at rest.
    public var notifierName: String
    public var notifierEmail: String

    public init(explanation: String, locationURL: String, legalGround: String?, notifierName: String, notifierEmail: String) {
        self.explanation = explanation
        self.locationURL = locationURL
        self.legalGround = legalGround
        self.notifierName = notifierName
        self.notifierEmail = notifierEmail
    }
}

/// A report as filed and validated, before it is weighed. Carries the reporter's platform id in
/// the clear only in memory, on its way to being hashed and sealed.
public struct ReportSubmission: Sendable, Equatable {
    public var reporterID: String
    public var subjectID: String
    public var reason: String
    public var note: String?
    public var channel: ReportChannel
    public var reporterAccountAgeDays: Int?
    public var notice: IllegalContentNotice?

    public init(
        reporterID: String, subjectID: String, reason: String, note: String? = nil,
        channel: ReportChannel = .userReport, reporterAccountAgeDays: Int? = nil, notice: IllegalContentNotice? = nil
    ) {
        self.reporterID = reporterID
        self.subjectID = subjectID
        self.reason = reason
        self.note = note
        self.channel = channel
        self.reporterAccountAgeDays = reporterAccountAgeDays
        self.notice = notice
    }
}

/// The limits a report must respect. Public so that the API document and the validation agree.
public enum ReportLimits {
    public static let noteMaxCharacters = 2_000
    public static let idMaxCharacters = 256
    public static let explanationMaxCharacters = 10_000
    public static let idempotencyKeyMaxCharacters = 255
    /// Older than any account can be; bounds a number that comes from the platform.
    public static let accountAgeMaxDays = 36_500
}

extension ReportSubmission {
    /// Checks everything about a submission that needs no stored state. Unknown subjects are found
    /// by the intake workflow, which has the store.
    public func validate(against policy: Policy) throws(VigilError) {
        try Validate.identifier(reporterID, field: "reporter_id")
        try Validate.identifier(subjectID, field: "subject_id")
        guard policy.category(reason) != nil else {
            throw .invalidField(
                field: "reason",
                detail: "'\(reason.prefix(64))' is not a policy category; expected one of: \(policy.categoryIDs.joined(separator: ", "))")
        }
        if let note { try Validate.optionalText(note, field: "note", max: ReportLimits.noteMaxCharacters) }
        if let age = reporterAccountAgeDays, !(0...ReportLimits.accountAgeMaxDays).contains(age) {
            throw .invalidField(field: "reporter_account_age_days", detail: "must be from 0 to \(ReportLimits.accountAgeMaxDays)")
        }
        switch (channel, notice) {
        case (.illegalContentNotice, nil):
            throw .invalidField(field: "notice", detail: "is required when channel is illegal_content_notice")
        case (.illegalContentNotice, let notice?):
            try notice.validate()
        case (_, .some):
            throw .invalidField(field: "notice", detail: "is only accepted when channel is illegal_content_notice")
        case (_, nil):
            break
        }
    }
}

extension IllegalContentNotice {
    func validate() throws(VigilError) {
        try Validate.text(explanation, field: "notice.explanation", max: ReportLimits.explanationMaxCharacters)
        let scheme = locationURL.hasPrefix("https://") ? "https://" : locationURL.hasPrefix("http://") ? "http://" : nil
        guard let scheme, locationURL.unicodeScalars.count <= 2_048,
              case let rest = locationURL.dropFirst(scheme.count), !rest.isEmpty, !rest.unicodeScalars.contains(where: Validate.isForbiddenInID)
        else {
            throw .invalidField(field: "notice.location_url", detail: "must be an http(s) URL of at most 2048 characters, without spaces")
        }
        try Validate.text(notifierName, field: "notice.notifier_name", max: 256)
        let parts = notifierEmail.split(separator: "@", omittingEmptySubsequences: false)
        guard notifierEmail.unicodeScalars.count <= 256, parts.count == 2, parts.allSatisfy({ !$0.isEmpty }),
              !notifierEmail.unicodeScalars.contains(where: Validate.isForbiddenInID)
        else {
            throw .invalidField(field: "notice.notifier_email", detail: "must be an email address (name@domain) of at most 256 characters")
        }
        if let legalGround { try Validate.text(legalGround, field: "notice.legal_ground", max: 1_000) }
    }
}

/// Small shared validators, so every endpoint words the same problem the same way, and checks
/// exactly what the OpenAPI document states (lengths in code points, as JSON Schema counts them).
public enum Validate {
    /// Characters an id may not hold: space and the control characters (C0, DEL, C1).
    static func isForbiddenInID(_ scalar: Unicode.Scalar) -> Bool { scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value) }

    /// Control characters free text may not hold: all but tab, line feed and carriage return.
    static func isForbiddenInText(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && !["\t", "\n", "\r"].contains(scalar)) || (0x7F...0x9F).contains(scalar.value)
    }

    /// A platform id: 1 to 256 code points, no spaces or control characters.
    public static func identifier(_ value: String, field: String) throws(VigilError) {
        if value.isEmpty { throw .invalidField(field: field, detail: "must not be empty") }
        if value.unicodeScalars.count > ReportLimits.idMaxCharacters {
            throw .invalidField(field: field, detail: "must be at most \(ReportLimits.idMaxCharacters) characters")
        }
        if value.unicodeScalars.contains(where: isForbiddenInID) {
            throw .invalidField(field: field, detail: "must not contain spaces or control characters")
        }
    }

    /// A required free-text field: something besides spaces, tabs and line breaks, bounded, and
    /// free of control characters.
    public static func text(_ value: String, field: String, max: Int) throws(VigilError) {
        if value.unicodeScalars.allSatisfy({ [" ", "\t", "\n", "\r"].contains($0) }) { throw .invalidField(field: field, detail: "must not be empty") }
        try optionalText(value, field: field, max: max)
    }

    /// A free-text field that may be empty: bounded, and free of control characters other than
    /// tab and line breaks. A NUL would be stored by one engine and cut by another (and by C
    /// tools reading the database), so text would not read back as it was written.
    public static func optionalText(_ value: String, field: String, max: Int) throws(VigilError) {
        if value.unicodeScalars.count > max { throw .invalidField(field: field, detail: "must be at most \(max) characters") }
        if value.unicodeScalars.contains(where: isForbiddenInText) {
            throw .invalidField(field: field, detail: "must not contain control characters (other than tab and line breaks)")
        }
    }
}
