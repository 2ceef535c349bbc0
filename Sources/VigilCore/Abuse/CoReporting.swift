/// Two reporters, in a canonical order, so a pair has one key whichever of them reported first.
public struct ReporterPair: Hashable, Sendable {
    public let first: String
    public let second: String

    public init(_ a: String, _ b: String) {
        if a <= b { first = a; second = b } else { first = b; second = a }
    }
}

/// What two reporters have reported together within the co-reporting window (SynchroTrap's matched
/// actions: the same subject, reported within the window of each other), split by how the subject
/// was decided.
public struct CoReportTie: Sendable, Equatable {
    /// Co-reported subjects not decided yet.
    public var open: Int
    /// Co-reported subjects a moderator found not violating: evidence of coordination.
    public var dismissed: Int
    /// Co-reported subjects found violating: honest reporters agreeing, not held against them.
    public var upheld: Int

    public init(open: Int = 0, dismissed: Int = 0, upheld: Int = 0) {
        self.open = open
        self.dismissed = dismissed
        self.upheld = upheld
    }

    /// Shared targets that count as evidence: a dismissed co-report counts double, an upheld one not at all.
    public var evidence: Int { open + 2 * dismissed }
    public var shared: Int { open + dismissed + upheld }

    /// The Jaccard similarity of the two reporters' report sets, with their lifetime report counts
    /// as the sets' sizes (an upper bound on the union, so busy honest reporters are not linked by chance).
    public func similarity(filedA: Int, filedB: Int) -> Double {
        let union = max(filedA, 0) + max(filedB, 0) - shared
        guard union > 0 else { return 0 }
        return min(1, Double(shared) / Double(union))
    }
}

/// The co-reporting graph around a set of reporters: each reporter's ties, by the other reporter.
public struct CoReportGraph: Sendable, Equatable {
    private var adjacency: [String: [String: CoReportTie]] = [:]

    public init() {}

    public func tie(_ pair: ReporterPair) -> CoReportTie? { adjacency[pair.first]?[pair.second] }

    /// Every tie of `reporter`, keyed by the other reporter.
    public func ties(of reporter: String) -> [String: CoReportTie] { adjacency[reporter] ?? [:] }

    public mutating func set(_ pair: ReporterPair, _ tie: CoReportTie) {
        adjacency[pair.first, default: [:]][pair.second] = tie
        adjacency[pair.second, default: [:]][pair.first] = tie
    }

    /// Adds one open co-report to the pair's tie.
    public mutating func addOpen(_ pair: ReporterPair) {
        var tie = self.tie(pair) ?? CoReportTie()
        tie.open += 1
        set(pair, tie)
    }
}
