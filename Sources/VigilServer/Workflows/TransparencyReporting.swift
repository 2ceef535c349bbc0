import VigilCore
import VigilStore

/// Computes the transparency report for a period by replaying the audit log.
public struct TransparencyReporting: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    public func report(from: Timestamp, to: Timestamp) async throws -> TransparencyReport {
        guard from < to else { throw VigilError.invalidField(field: "to", detail: "must be after from") }
        return try await store.read { session in
            var tally = TransparencyTally(from: from, to: to)
            var after: Int64 = 0
            while true {
                let page = try await session.auditEvents(after: after, limit: 5_000)
                for event in page { tally.add(event) }
                guard let last = page.last else { break }
                after = last.seq
            }
            return tally.finish()
        }
    }
}
