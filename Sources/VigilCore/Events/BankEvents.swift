/// `bank.created`, `bank.updated`: a hash bank was made, or its kill switch, roll-out ratio or
/// description changed.
public struct BankSettingsChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.bankCreated, .bankUpdated]
    public var bank: String
    public var enabled: Bool
    public var enabledRatio: Double
    public var description: String?
    /// Who changed it: a moderator's id, or `operator` for the command line.
    public var by: String

    public init(bank: HashBank, by: String) {
        self.bank = bank.name
        enabled = bank.enabled
        enabledRatio = bank.enabledRatio
        description = bank.description
        self.by = by
    }
}

/// `bank.content_added`, `bank.content_removed`: content entered a bank from a moderator's
/// removal, or was withdrawn (a granted appeal against that removal). Internal: it names the
/// decision and the subject, never a reporter.
public struct BankContentChanged: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.bankContentAdded, .bankContentRemoved]
    public var bank: String
    public var contentIds: [String]
    /// The hashes added (for an addition).
    public var hashes: Int?
    public var decisionId: String?
    public var reason: String

    public init(bank: String, contentIds: [String], hashes: Int?, decisionId: String?, reason: String) {
        self.bank = bank
        self.contentIds = contentIds
        self.hashes = hashes
        self.decisionId = decisionId
        self.reason = reason
    }
}

/// `bank.imported`: an operator imported a hash list into a bank.
public struct BankImported: EventPayload {
    public static let eventTypes: Set<AuditEventType> = [.bankImported]
    public var bank: String
    /// The import's label: the file's name and the start of its SHA-256 (each content's provenance).
    public var reference: String
    public var added: Int
    /// Hashes the bank already held, repeats within the file, and lines of other signal types.
    public var alreadyPresent: Int
    public var repeats: Int
    public var skipped: [String: Int]

    public init(bank: String, reference: String, added: Int, alreadyPresent: Int, repeats: Int, skipped: [String: Int]) {
        self.bank = bank
        self.reference = reference
        self.added = added
        self.alreadyPresent = alreadyPresent
        self.repeats = repeats
        self.skipped = skipped
    }
}
