import Crypto
import Foundation

/// The kinds of audited act. Raw values are stored and hashed: never rename one.
public enum AuditEventType: String, Codable, Sendable, CaseIterable {
    case apiKeyCreated = "api_key.created"
    case apiKeyRevoked = "api_key.revoked"
    case subjectRegistered = "subject.registered"
    case subjectUpdated = "subject.updated"
    case reportReceived = "report.received"
    case subjectStateChanged = "subject.state_changed"
    case caseOpened = "case.opened"
    case casePriorityChanged = "case.priority_changed"
    case moderatorAdded = "moderator.added"
    case moderatorDisabled = "moderator.disabled"
    case moderatorRoleChanged = "moderator.role_changed"
    case caseClaimed = "case.claimed"
    case caseReleased = "case.released"
    case decisionMade = "decision.made"
    case caseClosed = "case.closed"
    case strikeAdded = "strike.added"
    case accountActionApplied = "account_action.applied"
    case accountActionLifted = "account_action.lifted"
    case reporterWarned = "reporter.misuse_warned"
    case reporterSuspended = "reporter.misuse_suspended"
    case reporterSuspensionLifted = "reporter.misuse_suspension_lifted"
    case misuseMeasureRevoked = "reporter.misuse_measure_revoked"
    case appealFiled = "appeal.filed"
    case appealClaimed = "appeal.claimed"
    case appealDecided = "appeal.decided"
    case strikeRevoked = "strike.revoked"
    case coordinationSuspected = "case.coordination_suspected"
    case creatorShielded = "creator.shielded"
    case takedownPending = "case.takedown_pending"
    case takedownWithheld = "case.takedown_withheld"
    case webhookEndpointCreated = "webhook.endpoint_created"
    case webhookEndpointUpdated = "webhook.endpoint_updated"
    case webhookEndpointDeleted = "webhook.endpoint_deleted"
    case webhookSecretRotated = "webhook.secret_rotated"
    case webhookEndpointDisabled = "webhook.endpoint_disabled"
    case webhookReplayRequested = "webhook.replay_requested"
    case signalsRecorded = "signals.recorded"
    case ruleMatched = "rule.matched"
    case ruleModeChanged = "rule.mode_changed"
    case bankCreated = "bank.created"
    case bankUpdated = "bank.updated"
    case bankContentAdded = "bank.content_added"
    case bankContentRemoved = "bank.content_removed"
    case bankImported = "bank.imported"
    case consoleEnrolmentIssued = "console.enrolment_issued"
    case consoleEnrolled = "console.enrolled"
    case consoleSignedIn = "console.signed_in"
    case consoleSignInFailed = "console.sign_in_failed"
    case consoleSignedOut = "console.signed_out"
    case reporterUnsealed = "reporter.unsealed"

    /// The acts the platform must apply: the enforcement-events feed carries these and no others.
    public static let enforcement: [AuditEventType] = [.subjectStateChanged, .accountActionApplied, .accountActionLifted]
}

/// An act to append to the audit log, before it has a place in the chain.
public struct AuditEventDraft: Sendable, Equatable {
    public var type: AuditEventType
    public var subjectID: String?
    /// JSON text; hashed exactly as stored. Never carries a reporter id or its HMAC.
    public var payload: String
    public var occurredAt: Timestamp

    public init(type: AuditEventType, subjectID: String?, payload: String, occurredAt: Timestamp) {
        self.type = type
        self.subjectID = subjectID
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// An event in its place in the chain.
public struct AuditEvent: Sendable, Equatable {
    public var seq: Int64
    public var type: String
    public var subjectID: String?
    public var payload: String
    public var occurredAt: Timestamp
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, type: String, subjectID: String?, payload: String, occurredAt: Timestamp, prevHash: String, hash: String) {
        self.seq = seq
        self.type = type
        self.subjectID = subjectID
        self.payload = payload
        self.occurredAt = occurredAt
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The tamper-evident chain: each event's hash covers its own fields and the previous event's hash,
/// so changing, inserting or deleting any event breaks every link after it.
public enum AuditChain {
    /// The `prev_hash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(seq: Int64, type: String, subjectID: String?, payload: String, occurredAt: Timestamp, prevHash: String) -> String {
        var hasher = SHA256()
        // Length-prefixed fields: no two different events can serialise to the same bytes.
        for field in [String(seq), type, subjectID ?? "\u{0}", String(occurredAt.milliseconds), payload, prevHash] {
            let bytes = Array(field.utf8)
            hasher.update(data: Array(String(bytes.count).utf8) + [0x3A] + bytes)
        }
        return Hex.encode(hasher.finalize())
    }

    /// Places drafts after the event (`seq`, `hash`) at the head of the chain.
    public static func link(_ drafts: [AuditEventDraft], afterSeq seq: Int64, hash: String) -> [AuditEvent] {
        var previous = hash
        var next = seq
        return drafts.map { draft in
            next += 1
            let digest = Self.hash(
                seq: next, type: draft.type.rawValue, subjectID: draft.subjectID, payload: draft.payload,
                occurredAt: draft.occurredAt, prevHash: previous)
            defer { previous = digest }
            return AuditEvent(
                seq: next, type: draft.type.rawValue, subjectID: draft.subjectID, payload: draft.payload,
                occurredAt: draft.occurredAt, prevHash: previous, hash: digest)
        }
    }
}

/// Checks a chain one event at a time, so a verifier can stream millions of rows in pages.
public struct AuditChainVerifier: Sendable {
    public enum Failure: Equatable, Sendable, CustomStringConvertible {
        case gap(expectedSeq: Int64, found: Int64)
        case brokenLink(seq: Int64)
        case alteredEvent(seq: Int64)
        case headMismatch(headSeq: Int64, lastSeq: Int64)

        public var description: String {
            switch self {
            case .gap(let expected, let found): "event \(expected) is missing (next stored event is \(found))"
            case .brokenLink(let seq): "event \(seq) does not link to the event before it"
            case .alteredEvent(let seq): "event \(seq) was altered (its hash does not match its contents)"
            case .headMismatch(let head, let last):
                "the chain head records event \(head) but the last stored event is \(last) (events deleted or appended outside Vigil)"
            }
        }
    }

    public private(set) var count: Int64 = 0
    private var lastSeq: Int64 = 0
    private var lastHash = AuditChain.genesis

    public init() {}

    public mutating func check(_ event: AuditEvent) -> Failure? {
        guard event.seq == lastSeq + 1 else { return .gap(expectedSeq: lastSeq + 1, found: event.seq) }
        guard event.prevHash == lastHash else { return .brokenLink(seq: event.seq) }
        let expected = AuditChain.hash(
            seq: event.seq, type: event.type, subjectID: event.subjectID, payload: event.payload,
            occurredAt: event.occurredAt, prevHash: event.prevHash)
        guard expected == event.hash else { return .alteredEvent(seq: event.seq) }
        lastSeq = event.seq
        lastHash = event.hash
        count += 1
        return nil
    }

    /// After the last event: the recorded head must name the last event, or the tail was cut off.
    public func finish(headSeq: Int64, headHash: String) -> Failure? {
        guard headSeq == lastSeq, headHash == lastHash else { return .headMismatch(headSeq: headSeq, lastSeq: lastSeq) }
        return nil
    }
}
