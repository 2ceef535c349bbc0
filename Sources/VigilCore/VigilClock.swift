import Foundation

/// Where Vigil reads the time. Workflows take one, so that rules bound to time (claim leases,
/// review deadlines, timed suspensions) are tested by moving the clock instead of sleeping, which
/// a loaded machine turns into a race.
public struct VigilClock: Sendable {
    private let read: @Sendable () -> Timestamp

    public init(_ read: @escaping @Sendable () -> Timestamp) { self.read = read }

    /// The wall clock.
    public static let system = VigilClock { Timestamp(Date()) }

    public func now() -> Timestamp { read() }
}
