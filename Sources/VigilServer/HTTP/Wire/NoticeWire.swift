import Foundation
import VigilCore

// Response bodies of the notice endpoints and the enforcement feed. Decoded and encoded one way: ``JSONBody``.

/// A page of notices; `next_cursor` is null on the last page.
struct NoticeListView: Encodable {
    struct Item: Encodable {
        var noticeId: String
        var kind: String
        var subjectId: String?
        var decisionId: String?
        var createdAt: String
        /// As composed when the notice was made: a statement of reasons, or a message.
        var content: JSONValue

        init(_ notice: NoticeRecord) {
            noticeId = notice.id
            kind = notice.kind.rawValue
            subjectId = notice.subjectID
            decisionId = notice.decisionID
            createdAt = notice.createdAt.iso8601
            content = JSONValue(storedText: notice.body)
        }

        enum CodingKeys: String, CodingKey { case noticeId, kind, subjectId, decisionId, createdAt, content }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(noticeId, forKey: .noticeId)
            try container.encode(kind, forKey: .kind)
            try container.encode(subjectId, forKey: .subjectId)
            try container.encode(decisionId, forKey: .decisionId)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(content, forKey: .content)
        }
    }

    var notices: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case notices, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notices, forKey: .notices)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// A page of the enforcement feed. Built from typed, creator-safe events only.
struct EnforcementFeedView: Encodable {
    struct Item: Encodable {
        var eventId: String
        var type: String
        var subjectId: String?
        var occurredAt: String
        var data: Data

        /// The event's payload, encoded as it is stored.
        enum Data: Encodable {
            case subjectState(SubjectStateChanged)
            case accountAction(AccountActionChanged)

            func encode(to encoder: any Encoder) throws {
                switch self {
                case .subjectState(let payload): try payload.encode(to: encoder)
                case .accountAction(let payload): try payload.encode(to: encoder)
                }
            }
        }

        init(_ event: EnforcementEvent) {
            eventId = event.id
            type = event.type.rawValue
            subjectId = event.subjectID
            occurredAt = event.occurredAt.iso8601
            data = switch event.change {
            case .subjectState(let change): .subjectState(change)
            case .accountAction(let change): .accountAction(change)
            }
        }

        enum CodingKeys: String, CodingKey { case eventId, type, subjectId, occurredAt, data }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(eventId, forKey: .eventId)
            try container.encode(type, forKey: .type)
            try container.encode(subjectId, forKey: .subjectId)
            try container.encode(occurredAt, forKey: .occurredAt)
            try container.encode(data, forKey: .data)
        }
    }

    var events: [Item]
    var nextCursor: String
}
