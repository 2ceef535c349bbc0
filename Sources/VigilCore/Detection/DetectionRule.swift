/// What a detection rule does when it matches, on the ladder moderators use:
/// `allow < suppress < pending_review < remove`, plus `escalate` (a case, no restriction).
public enum RuleAction: String, Codable, Sendable, CaseIterable {
    case allow
    case escalate
    case suppress
    case pendingReview = "pending_review"
    case remove

    /// The visibility state the action puts a subject in, if it restricts it.
    public var state: VisibilityState? {
        switch self {
        case .allow, .escalate: nil
        case .suppress: .suppressed
        case .pendingReview: .pendingReview
        case .remove: .removed
        }
    }

    /// Its rung: the strongest action among matching rules wins.
    public var strength: Int {
        switch self {
        case .allow: 0
        case .escalate: 1
        case .suppress: 2
        case .pendingReview: 3
        case .remove: 4
        }
    }
}

/// Whether a rule acts.
public enum RuleMode: String, Codable, Sendable, CaseIterable {
    /// Matches act.
    case live
    /// Matches are recorded (and measured against moderators' decisions) but change nothing.
    case shadow
    /// Not evaluated.
    case disabled
}

/// A test on a subject's signals: some signal of the kind satisfies every bound given.
public struct SignalCondition: Sendable, Equatable {
    public var kind: SignalKind
    public var label: String?
    public var source: String?
    public var model: String?
    public var scoreAtLeast: Double?
    public var scoreBelow: Double?
    public var distanceAtMost: Int?
    public var value: String?

    public init(kind: SignalKind, label: String? = nil, source: String? = nil, model: String? = nil, scoreAtLeast: Double? = nil,
                scoreBelow: Double? = nil, distanceAtMost: Int? = nil, value: String? = nil) {
        self.kind = kind
        self.label = label
        self.source = source
        self.model = model
        self.scoreAtLeast = scoreAtLeast
        self.scoreBelow = scoreBelow
        self.distanceAtMost = distanceAtMost
        self.value = value
    }

    public func matches(_ signal: Signal) -> Bool {
        guard signal.kind == kind else { return false }
        if let label, signal.label != label { return false }
        if let source, signal.source != source { return false }
        if let model, signal.model != model { return false }
        if let scoreAtLeast { guard let score = signal.score, score >= scoreAtLeast else { return false } }
        if let scoreBelow { guard let score = signal.score, score < scoreBelow else { return false } }
        if let distanceAtMost { guard let distance = signal.distance, distance <= distanceAtMost else { return false } }
        if let value, signal.value != value { return false }
        return true
    }
}

/// A test on what Vigil knows of the subject and its creator. Every bound given must hold.
public struct SubjectCondition: Sendable, Equatable {
    public var kinds: Set<SubjectKind>?
    public var viewsAtLeast: Int?
    public var liveViewersAtLeast: Int?
    public var creatorStrikesAtLeast: Int?
    public var creatorStrikesAtMost: Int?

    public init(kinds: Set<SubjectKind>? = nil, viewsAtLeast: Int? = nil, liveViewersAtLeast: Int? = nil, creatorStrikesAtLeast: Int? = nil,
                creatorStrikesAtMost: Int? = nil) {
        self.kinds = kinds
        self.viewsAtLeast = viewsAtLeast
        self.liveViewersAtLeast = liveViewersAtLeast
        self.creatorStrikesAtLeast = creatorStrikesAtLeast
        self.creatorStrikesAtMost = creatorStrikesAtMost
    }

    public func matches(_ facts: SubjectFacts) -> Bool {
        if let kinds, !kinds.contains(facts.kind) { return false }
        if let viewsAtLeast, facts.reach.views < viewsAtLeast { return false }
        if let liveViewersAtLeast, facts.reach.liveViewers < liveViewersAtLeast { return false }
        if let creatorStrikesAtLeast, facts.creatorActiveStrikes < creatorStrikesAtLeast { return false }
        if let creatorStrikesAtMost, facts.creatorActiveStrikes > creatorStrikesAtMost { return false }
        return true
    }
}

/// A rule's condition: tests on signals and subject facts combined with all, any and not.
public indirect enum RuleCondition: Sendable, Equatable {
    case all([RuleCondition])
    case any([RuleCondition])
    case not(RuleCondition)
    case signal(SignalCondition)
    case subject(SubjectCondition)

    /// The deepest nesting a rule file may use; deeper is refused when the file is read.
    public static let maxDepth = 16

    public func matches(_ facts: SubjectFacts, signals: [Signal]) -> Bool {
        switch self {
        case .all(let parts): parts.allSatisfy { $0.matches(facts, signals: signals) }
        case .any(let parts): parts.contains { $0.matches(facts, signals: signals) }
        case .not(let part): !part.matches(facts, signals: signals)
        case .signal(let test): signals.contains(where: test.matches)
        case .subject(let test): test.matches(facts)
        }
    }

    /// Whether the condition tests the creator's strikes (else they need not be read).
    public var testsCreatorStrikes: Bool {
        switch self {
        case .all(let parts), .any(let parts): parts.contains(where: \.testsCreatorStrikes)
        case .not(let part): part.testsCreatorStrikes
        case .signal: false
        case .subject(let test): test.creatorStrikesAtLeast != nil || test.creatorStrikesAtMost != nil
        }
    }

    /// The signals that satisfy the condition's signal tests: what a match rested on.
    public func evidence(in signals: [Signal]) -> [Signal] {
        switch self {
        case .all(let parts), .any(let parts): parts.flatMap { $0.evidence(in: signals) }
        case .not, .subject: []
        case .signal(let test): signals.filter(test.matches)
        }
    }
}

/// What a rule can know about the subject it is evaluated on, besides its signals.
public struct SubjectFacts: Sendable, Equatable {
    public var kind: SubjectKind
    public var reach: Reach
    public var creatorActiveStrikes: Int

    public init(kind: SubjectKind, reach: Reach, creatorActiveStrikes: Int) {
        self.kind = kind
        self.reach = reach
        self.creatorActiveStrikes = creatorActiveStrikes
    }
}

/// A detection rule: when its condition holds for a subject, its action applies on the policy ground it names.
public struct DetectionRule: Sendable, Equatable {
    public var id: String
    public var title: String
    /// The policy category the action rests on: the ground the creator's statement names.
    public var policy: String
    public var action: RuleAction
    public var mode: RuleMode
    /// Whether a suppression opens a case for a moderator (restrictions that take content down always do).
    public var review: Bool
    /// Added to the priority of the case the rule opens.
    public var priorityBoost: Double
    /// At most this many acting matches a day (UTC); past it the rule escalates instead.
    public var dailyCap: Int?
    public var condition: RuleCondition

    public init(id: String, title: String, policy: String, action: RuleAction, mode: RuleMode, review: Bool = true, priorityBoost: Double = 0,
                dailyCap: Int? = nil, condition: RuleCondition) {
        self.id = id
        self.title = title
        self.policy = policy
        self.action = action
        self.mode = mode
        self.review = review
        self.priorityBoost = priorityBoost
        self.dailyCap = dailyCap
        self.condition = condition
    }

    /// Whether a case is opened for a match that acts.
    public var opensCase: Bool {
        switch action {
        case .allow: false
        case .escalate, .pendingReview, .remove: true
        case .suppress: review
        }
    }
}

/// When automation stops acting on its own: a rule whose precision over enough decisions falls
/// below the floor is switched to shadow.
public struct PrecisionFloor: Sendable, Equatable {
    public var floor: Double
    public var minDecisions: Int

    public init(floor: Double, minDecisions: Int) {
        self.floor = floor
        self.minDecisions = minDecisions
    }

    public static let standard = PrecisionFloor(floor: 0.7, minDecisions: 20)
}

/// The rules in force, versioned as a whole: a change of the file is a new version, and rule
/// statistics and automatic mode changes are kept per version.
public struct RuleSet: Sendable, Equatable {
    public var version: String
    public var precisionFloor: PrecisionFloor
    public var rules: [DetectionRule]

    public init(version: String, precisionFloor: PrecisionFloor = .standard, rules: [DetectionRule]) {
        self.version = version
        self.precisionFloor = precisionFloor
        self.rules = rules
    }

    public func rule(_ id: String) -> DetectionRule? { rules.first { $0.id == id } }

    /// Whether any rule tests the creator's strikes.
    public var testsCreatorStrikes: Bool { rules.contains { $0.mode != .disabled && $0.condition.testsCreatorStrikes } }

    /// No rules: nothing is detected automatically.
    public static let empty = RuleSet(version: "none", rules: [])
}
