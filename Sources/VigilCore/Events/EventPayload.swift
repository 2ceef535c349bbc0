import Foundation

/// The typed content of an audit event. Every event type has exactly one payload type, and every
/// consumer (the transparency report, the statement export, the enforcement feed, webhooks, the
/// console) reads events through it, never as a dictionary.
///
/// Payloads are stored as sorted-key, snake_case JSON and hashed into the chain as stored: a field
/// may be added (optional, so old events still decode) but never renamed or retyped.
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The event types this payload is the content of.
    static var eventTypes: Set<AuditEventType> { get }
}

extension AuditEventType {
    /// The payload type of each event type, for checking a stored log against the code.
    public var payloadType: any EventPayload.Type {
        switch self {
        case .apiKeyCreated: KeyCreated.self
        case .apiKeyRevoked: KeyRevoked.self
        case .subjectRegistered, .subjectUpdated: SubjectRecorded.self
        case .reportReceived: ReportReceived.self
        case .subjectStateChanged: SubjectStateChanged.self
        case .caseOpened: CaseOpened.self
        case .casePriorityChanged: CasePriorityChanged.self
        case .moderatorAdded: ModeratorAdded.self
        case .moderatorDisabled: ModeratorDisabled.self
        case .moderatorRoleChanged: ModeratorRoleChanged.self
        case .caseClaimed, .caseReleased: CaseClaim.self
        case .decisionMade: DecisionMade.self
        case .caseClosed: CaseClosed.self
        case .strikeAdded: StrikeAdded.self
        case .accountActionApplied, .accountActionLifted: AccountActionChanged.self
        case .reporterWarned, .reporterSuspended, .reporterSuspensionLifted, .misuseMeasureRevoked: MisuseChanged.self
        case .appealFiled, .appealDecided: AppealChanged.self
        case .appealClaimed: AppealClaimed.self
        case .strikeRevoked: StrikeRevoked.self
        case .coordinationSuspected: CoordinationSuspected.self
        case .creatorShielded: CreatorShielded.self
        case .takedownPending, .takedownWithheld: TakedownSettlement.self
        case .webhookEndpointCreated, .webhookEndpointUpdated, .webhookEndpointDeleted: WebhookEndpointChanged.self
        case .webhookSecretRotated: WebhookSecretRotated.self
        case .webhookEndpointDisabled: WebhookEndpointDisabled.self
        case .webhookReplayRequested: WebhookReplayRequested.self
        case .signalsRecorded: SignalsRecorded.self
        case .ruleMatched: RuleMatched.self
        case .ruleModeChanged: RuleModeChanged.self
        case .bankCreated, .bankUpdated: BankSettingsChanged.self
        case .bankContentAdded, .bankContentRemoved: BankContentChanged.self
        case .bankImported: BankImported.self
        case .consoleEnrolmentIssued: ConsoleEnrolmentIssued.self
        case .consoleEnrolled: ConsoleEnrolled.self
        case .consoleSignedIn, .consoleSignInFailed, .consoleSignedOut: ConsoleSignIn.self
        case .reporterUnsealed: ReporterUnsealed.self
        }
    }
}

extension AuditEventDraft {
    /// An event with a typed payload, encoded the one way every payload is stored.
    public init<P: EventPayload>(type: AuditEventType, subjectID: String?, payload: P, occurredAt: Timestamp) {
        precondition(P.eventTypes.contains(type), "\(P.self) is not the payload of \(type.rawValue)")
        self.init(type: type, subjectID: subjectID, payload: EventCoding.encode(payload), occurredAt: occurredAt)
    }
}

extension AuditEvent {
    /// The event's payload as `P`; fails if the event is of another type or its payload does not decode.
    public func payload<P: EventPayload>(as _: P.Type) throws -> P {
        guard let kind = AuditEventType(rawValue: type), P.eventTypes.contains(kind) else {
            throw EventCoding.Mismatch(type: type, payload: "\(P.self)")
        }
        return try EventCoding.decode(P.self, from: payload)
    }
}

/// The one encoding of payloads: sorted keys, snake_case, unescaped slashes.
public enum EventCoding {
    public struct Mismatch: Error, CustomStringConvertible {
        public var type: String
        public var payload: String
        public var description: String { "an event of type \(type) does not carry a \(payload)" }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// A stored payload as `P`, for readers that select events by type in SQL.
    public static func decode<P: EventPayload>(_ type: P.Type, from text: String) throws -> P {
        try decoder.decode(P.self, from: Data(text.utf8))
    }

    /// One encoder for every payload, as one decoder reads them: its settings never change after
    /// this, and building one per event was a measurable share of intake.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    public static func encode<P: Encodable>(_ payload: P) -> String {
        // Encoding plain value types to JSON cannot fail; an empty object keeps the chain well-formed if it ever did.
        return (try? encoder.encode(payload)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
