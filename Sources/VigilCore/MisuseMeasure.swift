import Foundation

/// A misuse warning or suspension imposed on a reporter, known by the reporter's keyed hash only.
public struct MisuseMeasureRecord: Sendable, Equatable {
    public var id: String
    public var reporterHash: String
    public var kind: MisuseMeasureKind
    public var imposedAt: Timestamp
    /// When a suspension ends by itself; nil for a warning.
    public var until: Timestamp?
    /// Set when a granted appeal voided the measure.
    public var revokedAt: Timestamp?
    public var revokedBy: String?

    public init(id: String, reporterHash: String, kind: MisuseMeasureKind, imposedAt: Timestamp, until: Timestamp?) {
        self.id = id
        self.reporterHash = reporterHash
        self.kind = kind
        self.imposedAt = imposedAt
        self.until = until
    }
}
