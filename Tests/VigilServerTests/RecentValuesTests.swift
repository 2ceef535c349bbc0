import Testing
import VigilCore
@testable import VigilServer

@Suite("Recently read values")
struct RecentValuesTests {
    let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    @Test("values are kept for their maximum age, read again after it or when the clock steps back")
    func expiry() async throws {
        let cache = RecentValues<Int>(maxAgeSeconds: 5)
        var reads: [Set<String>] = []
        func values(_ keys: Set<String>, at time: Timestamp) async throws -> [String: Int] {
            try await cache.values(keys, now: time) { missing in
                reads.append(missing)
                return Dictionary(uniqueKeysWithValues: missing.map { ($0, $0.count) })
            }
        }
        #expect(try await values(["a", "bb"], at: t0) == ["a": 1, "bb": 2])
        #expect(try await values(["a", "ccc"], at: t0.adding(seconds: 4)) == ["a": 1, "ccc": 3])
        #expect(reads == [["a", "bb"], ["ccc"]], "a was kept")
        _ = try await values(["a"], at: t0.adding(seconds: 5))
        _ = try await values(["bb"], at: t0.adding(seconds: -1))
        #expect(reads.suffix(2) == [["a"], ["bb"]], "too old, and from a clock that stepped back")
    }

    @Test("an update changes a kept value and keeps its age; the cache starts over past its capacity")
    func updateAndCapacity() {
        let cache = RecentValues<Int>(maxAgeSeconds: 5, capacity: 3)
        cache.store(["a": 1, "b": 2], at: t0)
        cache.update("a") { $0 += 10 }
        cache.update("missing") { $0 += 10 }
        #expect(cache.lookup(["a", "missing"], now: t0.adding(seconds: 1)).found == ["a": 11])
        #expect(cache.lookup(["a"], now: t0.adding(seconds: 5)).missing == ["a"])
        cache.store(["c": 3, "d": 4], at: t0)
        #expect(cache.lookup(["a", "b", "c", "d"], now: t0).found == ["c": 3, "d": 4])
    }
}
