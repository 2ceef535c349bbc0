import Foundation
import VigilCore
import VigilStore

/// Notices (statements of reasons, liftings, misuse measures, appeal outcomes) for their
/// recipients, and the enforcement feed for the platform.
public struct NoticesWorkflow: Sendable {
    let store: Store
    let keyring: ReporterKeyring

    public static let maxPageSize = 100
    public static let maxFeedPageSize = 1_000

    public init(store: Store, keyring: ReporterKeyring) {
        self.store = store
        self.keyring = keyring
    }

    /// Whose notices to read: a creator by id, a reporter by id (looked up by keyed hash).
    public enum Recipient: Sendable {
        case creator(String)
        case reporter(String)
    }

    /// A page of a recipient's notices, newest first; the cursor is the last notice id shown.
    public func notices(of recipient: Recipient, cursor: String?, limit: Int) async throws -> (notices: [NoticeRecord], nextCursor: String?) {
        guard (1...Self.maxPageSize).contains(limit) else { throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxPageSize)") }
        if let cursor { try Validate.identifier(cursor, field: "cursor") }
        let stored: NoticeRecord.Recipient = switch recipient {
        case .creator(let id): .creator(id)
        case .reporter(let id): .reporter(hash: keyring.lookupHash(of: id))
        }
        let rows = try await store.read { try await $0.notices(for: stored, before: cursor, limit: limit + 1) }
        let page = Array(rows.prefix(limit))
        return (page, rows.count > limit ? page.last?.id : nil)
    }

    /// Enforcement events after `cursor` (a `nextCursor` this feed returned; nil for the start),
    /// oldest first. The cursor only moves forward: with no new events it stays where it was.
    public func enforcementFeed(after cursor: String?, limit: Int) async throws -> (events: [EnforcementEvent], nextCursor: String) {
        guard (1...Self.maxFeedPageSize).contains(limit) else {
            throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxFeedPageSize)")
        }
        var after: Int64 = 0
        if let cursor {
            // Sealed: an audit sequence number would date events against their neighbours and
            // publish the overall volume of activity.
            guard let plain = keyring.openCursor(cursor), plain.hasPrefix("feed:"), let value = Int64(plain.dropFirst(5)), value >= 0 else {
                throw VigilError.invalidField(field: "after", detail: "must be a next_cursor this feed returned (or left out to start from the beginning)")
            }
            after = value
        }
        let start = after
        let events = try await store.read { try await $0.enforcementEvents(after: start, limit: limit) }
        let keyring = self.keyring
        let feed = try events.compactMap { try EnforcementEvent($0) { keyring.eventID(seq: $0) } }
        return (feed, keyring.sealCursor("feed:\(events.last?.seq ?? after)"))
    }
}
