/// What can be reported. The platform decides what each kind means; Vigil uses the kind for
/// thresholds (a live stream is pulled sooner) and queue priority.
public enum SubjectKind: String, Codable, Sendable, CaseIterable {
    case video, live, comment, account
}

/// How a subject is distributed. See DESIGN.md §2: every change of state is an enforcement act.
public enum VisibilityState: String, Codable, Sendable, CaseIterable {
    /// Normal distribution.
    case visible
    /// Kept up, but not recommended.
    case suppressed
    /// Temporarily taken down until a human decides.
    case pendingReview = "pending_review"
    /// Permanently removed after a violation was found.
    case removed

    /// Whether the subject is currently taken down (not reachable by viewers).
    public var isDown: Bool { self == .pendingReview || self == .removed }
}

/// How many people the subject reaches; it raises a case's review priority.
public struct Reach: Codable, Sendable, Equatable {
    public var views: Int
    public var liveViewers: Int

    /// The largest count accepted from the platform: far above any real audience (10^12), and far
    /// enough below `Int.max` that no sum or product of counts in Vigil can overflow.
    public static let maxCount = 1_000_000_000_000

    public init(views: Int = 0, liveViewers: Int = 0) {
        self.views = views
        self.liveViewers = liveViewers
    }
}

/// A piece of content or an account, registered by the platform under the platform's own id.
public struct Subject: Sendable, Equatable {
    public var id: String
    public var kind: SubjectKind
    public var creatorID: String
    public var reach: Reach
    public var title: String?
    public var text: String?
    /// Where the platform serves the subject's media, for the console's preview; nil when it gave none.
    public var media: MediaReference?
    public var state: VisibilityState
    /// The policy category whose threshold or decision put the subject in its current state, if any.
    public var stateGround: String?
    public var stateChangedAt: Timestamp
    /// Reasons a moderator ruled on in the subject's last decision; see ``Triage``.
    public var reviewedReasons: Set<String> = []
    /// Policy categories a live detection rule found in the subject since its last decision: each
    /// corroborates reports of that category as an independent voice would (``Corroboration``).
    public var detectedCategories: Set<String> = []

    public init(
        id: String, kind: SubjectKind, creatorID: String, reach: Reach, title: String? = nil,
        text: String? = nil, media: MediaReference? = nil, state: VisibilityState = .visible, stateGround: String? = nil,
        stateChangedAt: Timestamp
    ) {
        self.id = id
        self.kind = kind
        self.creatorID = creatorID
        self.reach = reach
        self.title = title
        self.text = text
        self.media = media
        self.state = state
        self.stateGround = stateGround
        self.stateChangedAt = stateChangedAt
    }
}
