import Foundation
import VigilCore

/// When a failed delivery is tried again: the Standard Webhooks schedule after the first attempt
/// (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; about three days and three hours in
/// all), each delay spread by up to a tenth either way so that a receiver coming back is not hit
/// by every retry at once. A receiver's `retry-after` stretches a delay, never shortens it.
struct RetrySchedule: Sendable, Equatable {
    /// Seconds to wait after the first, second, … failed attempt.
    var delays: [Double]
    /// The share of each delay by which it is randomly moved either way.
    var jitter: Double = 0.1

    static let standard = RetrySchedule(delays: [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400])

    /// The longest `retry-after` honoured: one day.
    static let maxRetryAfterSeconds: Double = 86_400

    /// How many attempts a delivery gets in all.
    var attempts: Int { delays.count + 1 }

    /// When to try again after failed attempt number `attempt` (1 for the first) at `now`, or nil
    /// when that was the last. `unit` is a random number in 0..<1 (injected, so tests are exact).
    func next(afterAttempt attempt: Int, at now: Timestamp, retryAfterSeconds: Double? = nil, unit: Double) -> Timestamp? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        var delay = delays[attempt - 1] * (1 + jitter * (2 * min(max(unit, 0), 1) - 1))
        if let asked = retryAfterSeconds, asked.isFinite, asked > delay { delay = min(asked, Self.maxRetryAfterSeconds) }
        return now.adding(seconds: delay)
    }

    /// A schedule from a comma-separated list of seconds (`VIGIL_WEBHOOK_RETRY_SCHEDULE`, for
    /// development and the reliability checks), or nil if any is not a number from 0.1 to a week.
    init?(parsing text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Double.init)
        guard !parts.isEmpty, parts.count <= 50, values.count == parts.count, values.allSatisfy({ $0.isFinite && $0 >= 0.1 && $0 <= 604_800 }) else { return nil }
        delays = values
    }

    init(delays: [Double], jitter: Double = 0.1) {
        self.delays = delays
        self.jitter = jitter
    }
}
