import Foundation

/// Why reports were combined into one voice.
public enum CoordinationSignal: String, Codable, Sendable, CaseIterable, Comparable {
    /// The reporters have reported the same subjects together before (SynchroTrap-style co-reporting).
    case coReporting = "co_reporting"
    /// More unvetted reporters arrived within one burst window than the subject's reach explains.
    case burst
    /// More unvetted reporters in all than the subject's reach explains.
    case volume
    /// New accounts and doubtful reporters, who together count as little more than one voice.
    case lowTrust = "low_trust"
    /// More reporters across one creator's content than its reach explains (a creator-level signal).
    case pileOn = "pile_on"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Reports that count as one voice. A group of one is an independent reporter.
public struct VoiceGroup: Sendable, Equatable {
    /// Reporter hashes, in the order of their reports.
    public var members: [String]
    public var signals: Set<CoordinationSignal>

    public init(members: [String], signals: Set<CoordinationSignal>) {
        self.members = members
        self.signals = signals
    }

    /// Whether the group is a sign of coordinated reporting worth a moderator's attention: linked
    /// co-reporters, a burst or volume beyond reach, or three or more low-trust accounts.
    public var isSuspect: Bool {
        guard members.count >= 2 else { return false }
        return !signals.subtracting([.lowTrust]).isEmpty || members.count >= 3
    }
}

/// How a subject's counted reports combine into independent voices, and what that makes of its
/// score in each category. Built by ``Independence/assess(voices:ties:reach:rules:)``.
public struct IndependenceAssessment: Sendable, Equatable {
    public var groups: [VoiceGroup]
    /// The most unvetted reports within one burst window, and what the subject's reach explains.
    public var burstPeak: Int
    public var burstAllowance: Double
    public var burstWindowMinutes: Double
    /// Unvetted reporters in all, and what the subject's reach explains.
    public var volume: Int
    public var volumeAllowance: Double
    /// The most co-reported targets behind any link used, as evidence for the moderator.
    public var strongestTie: CoReportTie?

    let voices: [ReportVoice]
    let groupOf: [Int]
    let groupBonus: Double

    /// The score in `category` counting each group once: its strongest member plus a small bonus.
    public func effectiveScore(category: String) -> Double {
        var sums = [Int: Double]()
        var maxima = [Int: Double]()
        for (index, voice) in voices.enumerated() where voice.category == category && !voice.spent {
            let group = groupOf[index]
            sums[group, default: 0] += voice.weight
            maxima[group] = max(maxima[group] ?? 0, voice.weight)
        }
        return sums.reduce(0) { total, entry in total + min(entry.value, (maxima[entry.key] ?? 0) + groupBonus) }
    }

    /// How many independent voices reported `category`.
    public func independentVoices(category: String) -> Int {
        Set(voices.indices.filter { voices[$0].category == category && !voices[$0].spent }.map { groupOf[$0] }).count
    }

    /// Whether a trusted flagger or a proven reporter reported `category`: such a report may act alone.
    public func hasVettedVoice(category: String) -> Bool {
        voices.contains { $0.category == category && $0.standing.isVetted && !$0.spent }
    }

    /// Whether any group looks coordinated.
    public var coordinationSuspected: Bool { groups.contains(where: \.isSuspect) }

    /// The largest suspect group's size (0 when none).
    public var largestSuspectGroup: Int { groups.filter(\.isSuspect).map(\.members.count).max() ?? 0 }
}

/// The independence rule of DESIGN.md §2: weight counts only between independent voices. Reporters
/// linked by co-reporting, unvetted reporters beyond what the subject's reach explains (in a burst
/// or in all), and new or doubtful accounts each combine into one voice. Nothing is discarded:
/// every report stays counted in the subject's raw score and in its reporters' track records.
public enum Independence {
    public static func assess(voices: [ReportVoice], ties: CoReportGraph, reach: Reach, rules: IndependenceRules) -> IndependenceAssessment {
        var sets = DisjointSets(count: voices.count)
        var marked = [CoordinationSignal: Set<Int>]()
        let indexOf = Dictionary(voices.enumerated().map { ($1.reporterHash, $0) }, uniquingKeysWith: { first, _ in first })

        // Co-reporting: pairs whose shared history links them.
        var strongest: CoReportTie?
        for (a, voice) in voices.enumerated() where voice.standing != .trusted {
            for (other, tie) in ties.ties(of: voice.reporterHash) where voice.reporterHash < other {
                guard let b = indexOf[other], voices[b].standing != .trusted else { continue }
                guard rules.linked(tie, filedA: voice.reporterReportsFiled, filedB: voices[b].reporterReportsFiled) else { continue }
                sets.union(a, b)
                marked[.coReporting, default: []].formUnion([a, b])
                if tie.evidence > strongest?.evidence ?? -1 { strongest = tie }
            }
        }

        // Bursts: unvetted reports beyond the reach allowance within one window join one group.
        let unvetted = voices.indices.filter { !voices[$0].standing.isVetted }.sorted {
            (voices[$0].receivedAt, $0) < (voices[$1].receivedAt, $1)
        }
        let burstAllowance = rules.burstAllowance(reach)
        let window = rules.burstWindowMinutes * 60
        var start = 0
        var peak = 0
        var inBurst = Set<Int>()
        for end in unvetted.indices {
            while voices[unvetted[start]].receivedAt.seconds(until: voices[unvetted[end]].receivedAt) > window { start += 1 }
            let count = end - start + 1
            peak = max(peak, count)
            if Double(count) > burstAllowance { inBurst.formUnion(unvetted[start...end]) }
        }
        join(inBurst, as: .burst, in: &sets, marked: &marked)

        // Volume: more unvetted reporters than the reach explains, however slowly they came, since
        // the last decision (the reports it spent only count towards a burst).
        let volumeAllowance = rules.volumeAllowance(reach)
        let undecided = unvetted.filter { !voices[$0].spent }
        if Double(undecided.count) > volumeAllowance { join(Set(undecided), as: .volume, in: &sets, marked: &marked) }

        // New and doubtful accounts pool into one voice.
        join(Set(voices.indices.filter { voices[$0].standing.isLowTrust }), as: .lowTrust, in: &sets, marked: &marked)

        // Groups, in the order of their first report.
        var members = [Int: [Int]]()
        var order: [Int] = []
        let byTime = voices.indices.sorted { (voices[$0].receivedAt, $0) < (voices[$1].receivedAt, $1) }
        var groupOf = [Int](repeating: 0, count: voices.count)
        for index in byTime {
            let root = sets.find(index)
            if members[root] == nil { order.append(root) }
            members[root, default: []].append(index)
        }
        var groups: [VoiceGroup] = []
        for (position, root) in order.enumerated() {
            let indices = members[root] ?? []
            for index in indices { groupOf[index] = position }
            var signals = Set<CoordinationSignal>()
            if indices.count > 1 {
                for (signal, set) in marked where indices.contains(where: set.contains) { signals.insert(signal) }
            }
            groups.append(VoiceGroup(members: indices.map { voices[$0].reporterHash }, signals: signals))
        }
        return IndependenceAssessment(
            groups: groups, burstPeak: peak, burstAllowance: burstAllowance, burstWindowMinutes: rules.burstWindowMinutes, volume: undecided.count, volumeAllowance: volumeAllowance,
            strongestTie: strongest, voices: voices, groupOf: groupOf, groupBonus: rules.groupBonus)
    }

    private static func join(_ indices: Set<Int>, as signal: CoordinationSignal, in sets: inout DisjointSets, marked: inout [CoordinationSignal: Set<Int>]) {
        guard indices.count > 1, let first = indices.min() else { return }
        for index in indices { sets.union(first, index) }
        marked[signal, default: []].formUnion(indices)
    }
}

/// Union–find over voice indices, with path halving.
struct DisjointSets {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
