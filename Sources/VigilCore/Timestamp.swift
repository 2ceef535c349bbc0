import Foundation

/// A point in time with millisecond precision, stored as milliseconds since the Unix epoch so that
/// both storage engines keep it as a plain integer and order it the same way.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(_ date: Date) {
        self.milliseconds = Self.clampedMilliseconds(date.timeIntervalSince1970 * 1000)
    }

    /// Converting a Double that is NaN or outside Int64 traps; durations and dates can come from
    /// configuration and input, so they saturate instead (±292 million years is "never").
    static func clampedMilliseconds(_ value: Double) -> Int64 {
        guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value.rounded(.down))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The start of the hour this time falls in: the precision at which creators and the platform
    /// see when a restriction began. To the millisecond, a provisional takedown's time is the
    /// receipt time of the report that crossed the threshold: a report timestamp, which no
    /// creator-facing output may carry (DESIGN.md §3, invariant 1).
    public var hourFloor: Timestamp {
        // Towards minus infinity, and without overflow at Int64.min.
        let remainder = milliseconds % 3_600_000
        guard remainder < 0 else { return Timestamp(milliseconds: milliseconds - remainder) }
        let (floor, overflow) = milliseconds.subtractingReportingOverflow(3_600_000 + remainder)
        return Timestamp(milliseconds: overflow ? .min : floor)
    }

    /// The start of the UTC day this time falls in (daily caps count from it).
    public var dayFloor: Timestamp {
        let remainder = milliseconds % 86_400_000
        guard remainder < 0 else { return Timestamp(milliseconds: milliseconds - remainder) }
        let (floor, overflow) = milliseconds.subtractingReportingOverflow(86_400_000 + remainder)
        return Timestamp(milliseconds: overflow ? .min : floor)
    }

    /// Saturates at the ends of time rather than trapping, for durations read from configuration.
    public func adding(seconds: Double) -> Timestamp {
        let (sum, overflow) = milliseconds.addingReportingOverflow(Self.clampedMilliseconds(seconds * 1000))
        if overflow { return Timestamp(milliseconds: seconds > 0 ? .max : .min) }
        return Timestamp(milliseconds: sum)
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> Double {
        (Double(later.milliseconds) - Double(milliseconds)) / 1000
    }

    /// ISO 8601 in UTC with milliseconds, the API's time format.
    public var iso8601: String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

extension Timestamp {
    /// Parses `YYYY-MM-DD` (midnight UTC) or a full ISO 8601 time; nil for anything else.
    public static func parse(_ text: String) -> Timestamp? {
        if text.count == 10, let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            return Timestamp(date)
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return Timestamp(date) }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return Timestamp(date) }
        return nil
    }
}
