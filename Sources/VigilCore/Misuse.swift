/// Where a reporter stands under the misuse rules (DSA Art. 23).
public enum MisuseStanding: String, Codable, Sendable {
    case good
    case warned
    case suspended
}

/// The misuse rules: a reporter with many dismissed reports in a window is warned, and if it goes
/// on, suspended for a period: their reports are accepted and recorded but weigh nothing and open
/// no case. Suspensions lift by themselves.
public struct MisusePolicy: Sendable, Equatable {
    /// Decided reports are looked at over this many days.
    public var windowDays: Double = 30
    /// At least this many dismissed reports in the window …
    public var minDismissed: Int = 5
    /// … making up at least this share of the reporter's decided reports in the window.
    public var minDismissedShare: Double = 0.7
    /// How long a suspension lasts.
    public var suspensionDays: Double = 14

    public static let standard = MisusePolicy()

    public init(windowDays: Double = 30, minDismissed: Int = 5, minDismissedShare: Double = 0.7, suspensionDays: Double = 14) {
        self.windowDays = windowDays
        self.minDismissed = minDismissed
        self.minDismissedShare = minDismissedShare
        self.suspensionDays = suspensionDays
    }

    /// What misuse step follows from a reporter's recent decided reports.
    /// - Parameters:
    ///   - dismissed: dismissed reports decided in the window.
    ///   - upheld: upheld reports decided in the window.
    ///   - standing: the reporter's current standing (after any lapsed suspension was lifted).
    public func step(dismissed: Int, upheld: Int, standing: MisuseStanding) -> MisuseStep? {
        let decided = dismissed + upheld
        guard decided > 0, dismissed >= minDismissed, Double(dismissed) / Double(decided) >= minDismissedShare else { return nil }
        switch standing {
        case .good: return .warn
        case .warned: return .suspend(days: suspensionDays)
        case .suspended: return nil
        }
    }
}

/// A change of a reporter's misuse standing.
public enum MisuseStep: Sendable, Equatable {
    case warn
    case suspend(days: Double)
}

/// A misuse measure on record: a warning or a suspension. Each has an id the reporter's notice
/// carries, so the reporter can contest it (DSA Art. 20 and 23).
public enum MisuseMeasureKind: String, Codable, Sendable {
    case warning
    case suspension
}
