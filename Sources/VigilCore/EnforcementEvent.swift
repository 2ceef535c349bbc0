/// An act the platform must apply, as the enforcement feed and webhooks carry it: creator-safe by
/// construction (the typed payloads name grounds, decisions and measures, never a report or a
/// reporter), dated to the hour, and identified by an opaque id rather than its audit sequence.
public struct EnforcementEvent: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        case subjectState(SubjectStateChanged)
        case accountAction(AccountActionChanged)
    }

    public var id: String
    public var type: AuditEventType
    public var subjectID: String?
    /// To the hour: a threshold crossing happens when a report arrives.
    public var occurredAt: Timestamp
    public var change: Change

    public init(id: String, type: AuditEventType, subjectID: String?, occurredAt: Timestamp, change: Change) {
        self.id = id
        self.type = type
        self.subjectID = subjectID
        self.occurredAt = occurredAt
        self.change = change
    }

    /// The enforcement event an audit event stands for, or nil for any other kind of event.
    /// `publicID` turns the audit sequence into the opaque id.
    public init?(_ event: AuditEvent, publicID: (Int64) -> String) throws {
        guard let type = AuditEventType(rawValue: event.type) else { return nil }
        let change: Change
        switch type {
        case .subjectStateChanged: change = .subjectState(try event.payload(as: SubjectStateChanged.self))
        case .accountActionApplied, .accountActionLifted: change = .accountAction(try event.payload(as: AccountActionChanged.self))
        default: return nil
        }
        self.init(id: publicID(event.seq), type: type, subjectID: event.subjectID, occurredAt: event.occurredAt.hourFloor, change: change)
    }
}
