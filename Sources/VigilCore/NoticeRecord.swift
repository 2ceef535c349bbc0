import Foundation

/// A durable notice to a creator (by creator id) or a reporter (by reporter hash only).
public struct NoticeRecord: Sendable, Equatable {
    public enum Recipient: Sendable, Equatable {
        case creator(String)
        case reporter(hash: String)

        /// How the recipient is stored: its kind…
        public var type: String {
            switch self {
            case .creator: "creator"
            case .reporter: "reporter"
            }
        }

        /// …and its key (a creator id, or a reporter's keyed hash).
        public var key: String {
            switch self {
            case .creator(let id): id
            case .reporter(let hash): hash
            }
        }
    }

    public var id: String
    public var recipient: Recipient
    public var kind: NoticeKind
    public var subjectID: String?
    public var decisionID: String?
    /// The notice's JSON body, as the recipient will read it.
    public var body: String
    public var createdAt: Timestamp

    public init(id: String, recipient: Recipient, kind: NoticeKind, subjectID: String?, decisionID: String?, body: String, createdAt: Timestamp) {
        self.id = id
        self.recipient = recipient
        self.kind = kind
        self.subjectID = subjectID
        self.decisionID = decisionID
        self.body = body
        self.createdAt = createdAt
    }
}
