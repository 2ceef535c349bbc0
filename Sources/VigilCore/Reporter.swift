import Foundation

/// A reporter as Vigil knows them: a keyed hash and a track record, nothing else.
public struct ReporterRecord: Sendable, Equatable {
    public var reporterHash: String
    public var record: TrackRecord
    public var reportsFiled: Int
    public var pending: Int
    public var standing: ReporterStanding

    public init(reporterHash: String, record: TrackRecord, reportsFiled: Int, pending: Int, standing: ReporterStanding = .good) {
        self.reporterHash = reporterHash
        self.record = record
        self.reportsFiled = reportsFiled
        self.pending = pending
        self.standing = standing
    }
}

/// A reporter's decided reports in the misuse window.
public struct DecidedCounts: Sendable, Equatable {
    public var upheld: Int
    public var dismissed: Int

    public init(upheld: Int, dismissed: Int) {
        self.upheld = upheld
        self.dismissed = dismissed
    }
}
