import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// Notices and the enforcement feed: `GET /v1/creators/{creator_id}/notices`,
/// `GET /v1/reporters/{reporter_id}/notices` and `GET /v1/enforcement-events`.
struct NoticesController {
    let store: Store
    let keyring: ReporterKeyring

    static let maxPageSize = 100

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("creators/{creator_id}/notices", use: creatorNotices)
        group.get("reporters/{reporter_id}/notices", use: reporterNotices)
        group.get("enforcement-events", use: enforcementEvents)
    }

    @Sendable func creatorNotices(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.noticesRead)
        let creatorID = try context.pathID("creator_id")
        return try await page(.creator(creatorID), request: request)
    }

    @Sendable func reporterNotices(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.noticesRead)
        let reporterID = try context.pathID("reporter_id")
        return try await page(.reporter(hash: keyring.lookupHash(of: reporterID)), request: request)
    }

    private func page(_ recipient: NoticeRecord.Recipient, request: Request) async throws -> Response {
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 50)
        guard (1...Self.maxPageSize).contains(limit) else { throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxPageSize)") }
        let cursor = try query.get("cursor")
        if let cursor { try Validate.identifier(cursor, field: "cursor") }
        let rows = try await store.read { try await $0.notices(for: recipient, before: cursor, limit: limit + 1) }
        let notices = rows.prefix(limit).map { notice -> [String: Any] in
            var item: [String: Any] = [
                "notice_id": notice.id, "kind": notice.kind.rawValue, "created_at": notice.createdAt.iso8601,
                "content": (try? JSONSerialization.jsonObject(with: Data(notice.body.utf8))) ?? [:],
            ]
            item["subject_id"] = notice.subjectID ?? NSNull()
            item["decision_id"] = notice.decisionID ?? NSNull()
            return item
        }
        let next: Any = rows.count > limit ? (notices.last?["notice_id"] ?? NSNull()) : NSNull()
        return try JSONBody.rawResponse(["notices": notices, "next_cursor": next])
    }

    @Sendable func enforcementEvents(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.eventsRead)
        let query = FormQuery(request)
        let limit = try ModerationController.integer(try query.get("limit"), field: "limit", default: 100)
        guard (1...1_000).contains(limit) else { throw VigilError.invalidField(field: "limit", detail: "must be between 1 and 1000") }
        var after: Int64 = 0
        if let text = try query.get("after") {
            guard let plain = keyring.openCursor(text), plain.hasPrefix("feed:"), let value = Int64(plain.dropFirst(5)), value >= 0 else {
                throw VigilError.invalidField(field: "after", detail: "must be a next_cursor this feed returned (or left out to start from the beginning)")
            }
            after = value
        }
        let start = after
        let events = try await store.read { try await $0.enforcementEvents(after: start, limit: limit) }
        let items = events.map { event -> [String: Any] in
            [
                // Opaque: the audit sequence number would date the event against its neighbours
                // and publish the overall volume of activity.
                "event_id": "evt_" + keyring.publicID(for: "event:\(event.seq)"), "type": event.type, "subject_id": event.subjectID ?? NSNull(),
                // To the hour: the platform may show it to the creator, and a threshold crossing
                // happens when a report arrives. The feed's order is the order of the events.
                "occurred_at": event.occurredAt.hourFloor.iso8601,
                "data": (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8))) ?? [:],
            ]
        }
        // The cursor only moves forward: with no new events, the caller keeps polling from the same place.
        return try JSONBody.rawResponse(["events": items, "next_cursor": keyring.sealCursor("feed:\(events.last?.seq ?? after)")])
    }
}
