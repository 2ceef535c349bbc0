import VigilCore
import VigilStore

/// Registration of what can be reported, and the creator-safe view of a subject.
public struct SubjectWorkflow: Sendable {
    let store: Store
    let clock: VigilClock
    /// Runs the built-in text classifier on new or changed text, and the rules on its signal.
    let detection: DetectionWorkflow?

    public init(store: Store, detection: DetectionWorkflow? = nil, clock: VigilClock = .system) {
        self.store = store
        self.clock = clock
        self.detection = detection
    }

    /// What the platform sends about a subject.
    public struct Registration: Sendable {
        public var id: String
        public var kind: SubjectKind
        public var creatorID: String
        public var reach: Reach
        public var title: String?
        public var text: String?
        /// Where the platform serves the media; the console previews it from there.
        public var media: MediaReference?

        public init(id: String, kind: SubjectKind, creatorID: String, reach: Reach, title: String?, text: String?, media: MediaReference? = nil) {
            self.id = id
            self.kind = kind
            self.creatorID = creatorID
            self.reach = reach
            self.title = title
            self.text = text
            self.media = media
        }
    }

    /// Registers a new subject or updates an existing one's reach and text. The kind and creator of a
    /// subject never change: a different value is refused rather than silently moving reports.
    /// Returns the subject and whether it was created.
    public func register(_ registration: Registration) async throws -> (Subject, created: Bool) {
        let now = clock.now()
        let detection = self.detection
        let (subject, created, outcome) = try await store.write { tx -> (Subject, Bool, DetectionOutcome?) in
            let (subject, created) = try await Self.record(registration, tx: tx, at: now)
            // The same text has the same signal id: only new or changed text is classified again.
            guard let detection, let signal = detection.textSignal(for: subject, at: now) else { return (subject, created, nil) }
            var detected = subject
            let outcome = try await detection.detect(tx, subject: subject, signals: [signal], at: now)
            detected.state = outcome.state
            return (detected, created, outcome)
        }
        if let outcome { detection?.observe(outcome) }
        return (subject, created)
    }

    private static func record(_ registration: Registration, tx: StoreSession, at now: Timestamp) async throws -> (Subject, created: Bool) {
        if var subject = try await tx.subject(id: registration.id) {
            if subject.kind != registration.kind {
                throw VigilError.conflict(detail: "kind: subject '\(registration.id)' is registered as \(subject.kind.rawValue); a subject's kind cannot change")
            }
            if subject.creatorID != registration.creatorID {
                throw VigilError.conflict(detail: "creator_id: subject '\(registration.id)' belongs to another creator; a subject's creator cannot change")
            }
            let changed = subject.reach != registration.reach || subject.title != registration.title || subject.text != registration.text
                || subject.media != registration.media
            subject.reach = registration.reach
            subject.title = registration.title
            subject.text = registration.text
            subject.media = registration.media
            if changed {
                try await tx.updateSubjectDetails(subject, at: now)
                try await tx.appendEvents([AuditEventDraft(
                    type: .subjectUpdated, subjectID: subject.id,
                    payload: SubjectRecorded(kind: subject.kind, creatorId: subject.creatorID, views: subject.reach.views, liveViewers: subject.reach.liveViewers),
                    occurredAt: now)])
            }
            return (subject, false)
        }
        let subject = Subject(
            id: registration.id, kind: registration.kind, creatorID: registration.creatorID, reach: registration.reach,
            title: registration.title, text: registration.text, media: registration.media, state: .visible, stateChangedAt: now)
        try await tx.insertSubject(subject, at: now)
        try await tx.appendEvents([AuditEventDraft(
            type: .subjectRegistered, subjectID: subject.id,
            payload: SubjectRecorded(kind: subject.kind, creatorId: subject.creatorID, views: subject.reach.views, liveViewers: subject.reach.liveViewers),
            occurredAt: now)])
        return (subject, true)
    }

    public func subject(id: String) async throws -> Subject {
        guard let subject = try await store.read({ try await $0.subject(id: id) }) else {
            throw VigilError.notFound(resource: "subject", id: id)
        }
        return subject
    }
}

