import Foundation
import VigilCore
import VigilStore

/// The body of a webhook message, `{type, timestamp, data}` as Standard Webhooks has it. Composed
/// from the message's typed source only: an enforcement event as the enforcement feed shows it, or
/// a creator's notice as the creator's notice list shows it. Neither type has a field that could
/// carry a reporter's id, pseudonym, count or report times, so no webhook can.
struct WebhookPayload: Encodable {
    enum Content: Encodable {
        case enforcement(EnforcementFeedView.Item)
        case notice(CreatorNotice)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .enforcement(let item): try item.encode(to: encoder)
            case .notice(let notice): try notice.encode(to: encoder)
            }
        }
    }

    /// A creator's notice with the creator it is for, so the platform knows whom to deliver it to.
    struct CreatorNotice: Encodable {
        var creatorId: String
        var notice: NoticeListView.Item

        enum CodingKeys: String, CodingKey { case creatorId, notice }
    }

    var type: String
    var timestamp: String
    var data: Content

    enum CodingKeys: String, CodingKey { case type, timestamp, data }

    /// The message's body, or nil when its source is gone or is not a creator-facing kind.
    static func compose(_ message: WebhookMessage, in session: StoreSession, publicID: (Int64) -> String) async throws -> [UInt8]? {
        let payload: WebhookPayload
        switch message.source {
        case .event:
            guard let seq = Int64(message.sourceRef), let stored = try await session.auditEvent(seq: seq),
                  let event = try EnforcementEvent(stored, publicID: publicID) else { return nil }
            payload = WebhookPayload(type: message.type, timestamp: event.occurredAt.iso8601, data: .enforcement(EnforcementFeedView.Item(event)))
        case .notice:
            guard let notice = try await session.notice(id: message.sourceRef), case .creator(let creatorID) = notice.recipient else { return nil }
            payload = WebhookPayload(type: message.type, timestamp: notice.createdAt.iso8601,
                                     data: .notice(CreatorNotice(creatorId: creatorID, notice: NoticeListView.Item(notice))))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(payload))
    }
}
