import Foundation

/// What an appeal contests: a moderator's decision, or a misuse measure imposed on a reporter.
public enum AppealTarget: Sendable, Equatable {
    case decision(String)
    case misuseMeasure(String)

    public var decisionID: String? {
        if case .decision(let id) = self { id } else { nil }
    }

    public var measureID: String? {
        if case .misuseMeasure(let id) = self { id } else { nil }
    }
}

/// An appeal against a decision or a misuse measure. A reporter appellant is stored by their keyed
/// hash only.
public struct AppealRecord: Sendable, Equatable {
    public var id: String
    public var target: AppealTarget
    public var appellantType: AppellantType
    /// The creator id, or a reporter's keyed hash.
    public var appellant: String
    public var statement: String
    public var status: AppealStatus
    public var filedAt: Timestamp
    public var claimedBy: String?
    public var claimExpiresAt: Timestamp?
    public var decidedBy: String?
    public var decidedAt: Timestamp?
    public var outcomeNote: String?

    public init(id: String, target: AppealTarget, appellantType: AppellantType, appellant: String, statement: String, filedAt: Timestamp) {
        self.id = id
        self.target = target
        self.appellantType = appellantType
        self.appellant = appellant
        self.statement = statement
        self.status = .open
        self.filedAt = filedAt
    }

    public var decisionID: String? { target.decisionID }
    public var measureID: String? { target.measureID }

    public func holder(at time: Timestamp) -> String? {
        guard let claimedBy, let claimExpiresAt, time < claimExpiresAt else { return nil }
        return claimedBy
    }
}
