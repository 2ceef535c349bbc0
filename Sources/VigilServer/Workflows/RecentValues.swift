import Synchronization
import VigilCore

/// Values read from the store, kept for a short time by key, for figures that intake may take a
/// few seconds old (a creator's reach, their shield, the reports against them in a day) instead of
/// reading them again on every batch. Bounded: it starts over when it holds too many keys.
final class RecentValues<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, at: Timestamp)]>([:])
    private let maxAgeSeconds: Double
    private let capacity: Int

    init(maxAgeSeconds: Double, capacity: Int = 100_000) {
        self.maxAgeSeconds = maxAgeSeconds
        self.capacity = capacity
    }

    /// The values of `keys` no older than the maximum age at `now`, and the keys that have none.
    func lookup(_ keys: Set<String>, now: Timestamp) -> (found: [String: Value], missing: Set<String>) {
        entries.withLock { entries in
            var found: [String: Value] = [:]
            var missing: Set<String> = []
            for key in keys {
                // A clock stepped back makes an entry look new: it is read again instead.
                if let entry = entries[key], entry.at <= now, entry.at.seconds(until: now) < maxAgeSeconds {
                    found[key] = entry.value
                } else {
                    missing.insert(key)
                }
            }
            return (found, missing)
        }
    }

    /// Keeps `values` as read at `time`.
    func store(_ values: [String: Value], at time: Timestamp) {
        entries.withLock { entries in
            if entries.count + values.count > capacity { entries.removeAll() }
            for (key, value) in values { entries[key] = (value, time) }
        }
    }

    /// Changes the kept value of `key`, if there is one, keeping its age.
    func update(_ key: String, _ change: (inout Value) -> Void) {
        entries.withLock { entries in
            guard var entry = entries[key] else { return }
            change(&entry.value)
            entries[key] = entry
        }
    }

    /// Reads the values missing from the cache with `read` and keeps them; returns all of `keys`'.
    func values(_ keys: Set<String>, now: Timestamp, read: (Set<String>) async throws -> [String: Value]) async throws -> [String: Value] {
        let (found, missing) = lookup(keys, now: now)
        guard !missing.isEmpty else { return found }
        let fresh = try await read(missing)
        store(fresh, at: now)
        return found.merging(fresh) { _, new in new }
    }
}
