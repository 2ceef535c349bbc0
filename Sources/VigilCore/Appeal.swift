/// Who contests a decision: the creator of the content it restricted, or a reporter whose report
/// it found unfounded.
public enum AppellantType: String, Codable, Sendable {
    case creator
    case reporter
}

public enum AppealStatus: String, Codable, Sendable {
    case open
    case granted
    case denied
}

public enum AppealOutcome: String, Codable, Sendable, CaseIterable {
    case granted
    case denied
}

/// The limits of an appeal (DSA Art. 20).
public enum AppealRules {
    public static let statementMaxCharacters = 5_000

    /// Whether an appeal filed at `time` on a decision made at `decidedAt` is in time.
    public static func isInTime(decidedAt: Timestamp, filedAt time: Timestamp) -> Bool {
        time <= decidedAt.adding(seconds: AppealWindow.days * 86_400)
    }
}
