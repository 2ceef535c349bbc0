import Synchronization
import VigilCore

/// A token bucket per key: a burst of `capacity` requests, refilled at `perMinute`. Over the limit,
/// a request is refused with 429 before anything is written. Reports are keyed by the reporter's
/// hash (never the id), console sign-ins by the client's address. In memory and per node: it bounds
/// abuse, it is not an accounting record.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let capacity: Double
    private let perSecond: Double
    private let maxTracked: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int? = nil, maxTracked: Int = 500_000) {
        self.capacity = Double(max(1, burst ?? perMinute))
        self.perSecond = Double(max(1, perMinute)) / 60
        self.maxTracked = maxTracked
    }

    public func admit(_ key: String, now: ContinuousClock.Instant = .now) throws(VigilError) {
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / perSecond
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            if buckets.count > maxTracked { prune(&buckets, now: now) }
            return nil
        }
        if let wait { throw .rateLimited(retryAfterSeconds: max(1, Int(wait.rounded(.up)))) }
    }

    /// Forgets keys whose bucket has refilled: they are indistinguishable from new ones.
    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(capacity / perSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
    }
}
