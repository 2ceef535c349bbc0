import Synchronization
import VigilCore

/// Stops calling a service that keeps failing. After `threshold` failures in a row it opens: calls
/// are refused at once for `cooldown` seconds. Then one trial call goes through (half-open): a
/// success closes it, a failure opens it again for another cooldown.
final class CircuitBreaker: Sendable {
    enum State: String, Sendable { case closed, open, halfOpen = "half_open" }

    private struct Counters {
        var failures = 0
        var openUntil: Timestamp?
        var trialInFlight = false
    }

    let threshold: Int
    let cooldownSeconds: Double
    private let counters = Mutex(Counters())

    init(threshold: Int, cooldownSeconds: Double) {
        self.threshold = max(1, threshold)
        self.cooldownSeconds = cooldownSeconds
    }

    /// Whether a call may go out now; a call let through while half-open is the trial.
    func allow(at now: Timestamp) -> Bool {
        counters.withLock { c in
            guard let until = c.openUntil else { return true }
            if now < until || c.trialInFlight { return false }
            c.trialInFlight = true
            return true
        }
    }

    func succeeded() {
        counters.withLock { $0 = Counters() }
    }

    func failed(at now: Timestamp) {
        counters.withLock { c in
            c.failures += 1
            c.trialInFlight = false
            if c.failures >= threshold { c.openUntil = now.adding(seconds: cooldownSeconds) }
        }
    }

    func state(at now: Timestamp) -> State {
        counters.withLock { c in
            guard let until = c.openUntil else { return .closed }
            return now < until ? .open : .halfOpen
        }
    }
}
