import VigilCore
import VigilStore

/// A reporter's view of their own reports. The platform passes the reporter's id; Vigil finds their
/// reports by its keyed hash, since the id itself is stored nowhere.
public struct ReporterInbox: Sendable {
    let store: Store
    let keyring: ReporterKeyring

    public static let maxPageSize = 100

    public init(store: Store, keyring: ReporterKeyring) {
        self.store = store
        self.keyring = keyring
    }

    public func reports(reporterID: String, cursor: String?, limit: Int) async throws -> (reports: [ReporterReportListing], nextCursor: String?) {
        try Validate.identifier(reporterID, field: "reporter_id")
        guard (1...Self.maxPageSize).contains(limit) else {
            throw VigilError.invalidField(field: "limit", detail: "must be between 1 and \(Self.maxPageSize)")
        }
        if let cursor { try Validate.identifier(cursor, field: "cursor") }
        let hash = keyring.lookupHash(of: reporterID)
        // One extra row tells whether another page follows.
        let rows = try await store.read { try await $0.reports(ofReporter: hash, before: cursor, limit: limit + 1) }
        let page = Array(rows.prefix(limit))
        return (page, rows.count > limit ? page.last?.reportID : nil)
    }
}
