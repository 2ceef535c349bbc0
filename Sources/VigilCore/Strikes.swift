/// An account-level measure that follows the count of a creator's active strikes.
public enum AccountActionKind: String, Codable, Sendable, CaseIterable {
    case warning
    case liveAccessRemoved = "live_access_removed"
    case accountSuspended = "account_suspended"
}

/// One rung of the ladder: at `strikes` active strikes, `action` for `days` (nil: no duration).
public struct StrikeRung: Sendable, Equatable {
    public var strikes: Int
    public var action: AccountActionKind
    public var days: Double?

    public init(strikes: Int, action: AccountActionKind, days: Double?) {
        self.strikes = strikes
        self.action = action
        self.days = days
    }
}

/// Strikes against creators: how long they last and which account measure each count brings.
public struct StrikePolicy: Sendable, Equatable {
    public var strikeLifetimeDays: Double
    public var ladder: [StrikeRung]

    public static let standard = StrikePolicy(strikeLifetimeDays: 90, ladder: [
        StrikeRung(strikes: 1, action: .warning, days: nil),
        StrikeRung(strikes: 3, action: .liveAccessRemoved, days: 7),
        StrikeRung(strikes: 5, action: .accountSuspended, days: 30),
    ])

    public init(strikeLifetimeDays: Double, ladder: [StrikeRung]) {
        self.strikeLifetimeDays = strikeLifetimeDays
        self.ladder = ladder.sorted { $0.strikes < $1.strikes }
    }

    /// The measure a new strike brings: the rung reached exactly by the new active count, so each
    /// rung applies once on the way up.
    public func action(afterStrikeBringingActiveCountTo count: Int) -> StrikeRung? {
        ladder.first { $0.strikes == count }
    }
}
