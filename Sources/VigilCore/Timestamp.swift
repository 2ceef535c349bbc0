import Foundation

/// A point in time with millisecond precision, stored as milliseconds since the Unix epoch so that
/// both storage engines keep it as a plain integer and order it the same way.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public init(_ date: Date) {
        self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The start of the hour this time falls in: the precision at which creators and the platform
    /// see when a restriction began. To the millisecond, a provisional takedown's time is the
    /// receipt time of the report that crossed the threshold: a report timestamp, which no
    /// creator-facing output may carry (DESIGN.md §3, invariant 1).
    public var hourFloor: Timestamp { Timestamp(milliseconds: milliseconds - milliseconds % 3_600_000) }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(milliseconds: milliseconds + Int64(seconds * 1000))
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> Double {
        Double(later.milliseconds - milliseconds) / 1000
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
