import Foundation
import VigilCore

/// `vigil simulate`: one scenario's traffic under three triage policies side by side: a plain
/// count threshold, Discourse's flag score (its threshold calibrated to take down as much as Vigil
/// on the honest traffic alone), and Vigil itself through a real store.
public struct Simulator: Sendable {
    public let scenario: Scenario
    public let policy: Policy
    public let rules: ModerationRules

    public init(scenario: Scenario, policy: Policy = .builtIn, rules: ModerationRules = .standard) {
        self.scenario = scenario
        self.policy = policy
        var rules = rules
        rules.independence = scenario.independence
        self.rules = rules
    }

    /// Which part of the run a progress report is about.
    public enum Phase: String, Sendable {
        case calibration = "calibrating on honest traffic"
        case simulation = "simulating"
    }

    /// Runs everything in `directory` (the stores are made there). `progress` gets the phase and the share done.
    public func run(in directory: String, progress: @escaping @Sendable (Phase, Double) -> Void = { _, _ in }) async throws -> SimulationReport {
        let traffic = Traffic.generate(scenario)
        let fm = FileManager.default
        let calibrationDirectory = (directory as NSString).appendingPathComponent("calibration")
        let simulationDirectory = (directory as NSString).appendingPathComponent("simulation")
        try fm.createDirectory(atPath: calibrationDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: simulationDirectory, withIntermediateDirectories: true)

        // Honest traffic only: how much Vigil takes down, and the Discourse threshold that matches it.
        let honest = traffic.honest
        let vigilHonest = try await VigilTriageRun(scenario: scenario, policy: policy, rules: rules, directory: calibrationDirectory)
            .run(honest) { progress(.calibration, $0) }
        let target = vigilHonest.provisional.count
        var best = (threshold: 1.0, distance: Int.max)
        for step in 2...120 {
            let threshold = Double(step) / 2
            let taken = BaselineTriage(rule: .discourse(threshold: threshold), scenario: scenario).run(honest).provisional.count
            let distance = abs(taken - target)
            if distance < best.distance { best = (threshold, distance) }
        }

        let count = BaselineTriage(rule: .count(k: scenario.countThreshold), scenario: scenario).run(traffic)
        let discourse = BaselineTriage(rule: .discourse(threshold: best.threshold), scenario: scenario).run(traffic)
        let vigil = try await VigilTriageRun(scenario: scenario, policy: policy, rules: rules, directory: simulationDirectory)
            .run(traffic) { progress(.simulation, $0) }
        return SimulationReport(scenario: scenario, traffic: traffic, outcomes: [count, discourse, vigil],
                                honestTakedowns: target, discourseThreshold: best.threshold)
    }
}

/// The figures of one policy, computed from its outcome and the traffic's truth.
public struct PolicyFigures: Sendable {
    public var name: String
    public var innocentReported: Int
    public var innocentDown: Int
    public var brigadeTargets: Int
    public var brigadeTargetsDown: Int
    public var innocentLive: Int
    public var innocentLiveDown: Int
    public var violatingReported: Int
    public var violatingDown: Int
    /// Minutes from a violating subject's first report to when it went down.
    public var medianMinutesToTakedown: Double?
    public var p90MinutesToTakedown: Double?
    public var decisions: Int
    public var casesOpened: Int
    public var backlog: Int
    /// Brigade targets taken down and attacked, by brigade shape.
    public var byShape: [String: (down: Int, targets: Int)] = [:]

    static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

    public var innocentShare: Double { Self.share(innocentDown, innocentReported) }
    public var brigadeShare: Double { Self.share(brigadeTargetsDown, brigadeTargets) }
    public var liveShare: Double { Self.share(innocentLiveDown, innocentLive) }
    public var violatingShare: Double { Self.share(violatingDown, violatingReported) }
}

/// What `vigil simulate` prints and draws.
public struct SimulationReport: Sendable {
    public var scenario: Scenario
    public var figures: [PolicyFigures]
    public var reports: Int
    public var brigadeReports: Int
    public var subjects: Int
    public var honestTakedowns: Int
    public var discourseThreshold: Double

    init(scenario: Scenario, traffic: Traffic, outcomes: [PolicyOutcome], honestTakedowns: Int, discourseThreshold: Double) {
        self.scenario = scenario
        self.reports = traffic.reports.count
        self.brigadeReports = traffic.reports.filter { $0.kind == .brigade }.count
        self.subjects = traffic.subjects.count
        self.honestTakedowns = honestTakedowns
        self.discourseThreshold = discourseThreshold
        var firstReport = [Int: Double]()
        var honestlyReported = Set<Int>()
        for report in traffic.reports where firstReport[report.subject] == nil { firstReport[report.subject] = report.hour }
        for report in traffic.reports where report.kind != .brigade { honestlyReported.insert(report.subject) }
        let reported = Set(firstReport.keys)
        let innocent = reported.filter { traffic.subjects[$0].violation == nil }
        let violating = reported.filter { traffic.subjects[$0].violation != nil && honestlyReported.contains($0) }
        let targets = reported.filter { traffic.subjects[$0].brigadeTarget }
        let live = innocent.filter { traffic.subjects[$0].kind == .live }
        self.figures = outcomes.map { outcome in
            let down = Set(outcome.downAt.keys)
            let minutes = violating.compactMap { s -> Double? in
                guard let at = outcome.downAt[s], let first = firstReport[s] else { return nil }
                return max(0, at - first) * 60
            }.sorted()
            var byShape: [String: (down: Int, targets: Int)] = [:]
            for s in targets {
                guard let shape = traffic.subjects[s].brigadeShape?.rawValue else { continue }
                byShape[shape, default: (0, 0)].targets += 1
                if outcome.provisional.contains(s) { byShape[shape, default: (0, 0)].down += 1 }
            }
            return PolicyFigures(
                name: outcome.name,
                innocentReported: innocent.count, innocentDown: innocent.intersection(outcome.provisional).count,
                brigadeTargets: targets.count, brigadeTargetsDown: targets.intersection(outcome.provisional).count,
                innocentLive: live.count, innocentLiveDown: live.intersection(outcome.provisional).count,
                violatingReported: violating.count, violatingDown: violating.intersection(down).count,
                medianMinutesToTakedown: Self.percentile(minutes, 0.5), p90MinutesToTakedown: Self.percentile(minutes, 0.9),
                decisions: outcome.decisions, casesOpened: outcome.casesOpened, backlog: outcome.backlog, byShape: byShape)
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count - 1)).rounded())
        return sorted[min(sorted.count - 1, max(0, rank))]
    }

    /// The table `vigil simulate` prints.
    public var table: String {
        func pct(_ part: Int, _ whole: Int) -> String {
            String(format: "%d/%d (%.1f%%)", part, whole, PolicyFigures.share(part, whole) * 100)
        }
        func minutes(_ value: Double?) -> String { value.map { String(format: "%.0f min", $0) } ?? "-" }
        let shapes = Set(figures.flatMap(\.byShape.keys)).sorted()
        let rows: [(String, (PolicyFigures) -> String)] = [
            ("innocent subjects taken down", { pct($0.innocentDown, $0.innocentReported) }),
            ("  brigade targets taken down", { pct($0.brigadeTargetsDown, $0.brigadeTargets) }),
        ] + shapes.map { shape in
            ("    \(shape)", { f in pct(f.byShape[shape]?.down ?? 0, f.byShape[shape]?.targets ?? 0) })
        } + [
            ("  innocent live streams taken down", { pct($0.innocentLiveDown, $0.innocentLive) }),
            ("violating subjects taken down", { pct($0.violatingDown, $0.violatingReported) }),
            ("  median time to takedown", { minutes($0.medianMinutesToTakedown) }),
            ("  p90 time to takedown", { minutes($0.p90MinutesToTakedown) }),
            ("moderator decisions", { "\($0.decisions)" }),
            ("cases opened / left open", { "\($0.casesOpened) / \($0.backlog)" }),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        let columns = figures.map { f in max(f.name.count, rows.map { $0.1(f).count }.max() ?? 0) }
        func pad(_ text: String, _ n: Int) -> String { text + String(repeating: " ", count: max(0, n - text.count)) }
        var lines: [String] = []
        lines.append("scenario \(scenario.name), seed \(scenario.seed): \(subjects) subjects, \(reports) reports (\(brigadeReports) from brigades), \(Int(scenario.hours)) h, \(scenario.moderators) moderators")
        lines.append("discourse threshold \(String(format: "%.1f", discourseThreshold)) matches Vigil's \(honestTakedowns) takedowns on the honest traffic alone")
        lines.append("")
        lines.append(pad("", width) + "  " + zip(figures, columns).map { pad($0.name, $1) }.joined(separator: "  "))
        for (label, value) in rows {
            lines.append(pad(label, width) + "  " + zip(figures, columns).map { pad(value($0), $1) }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// The same figures as a bar chart (SVG): one panel per measure, one bar per policy.
    public var svg: String {
        let panels: [(String, (PolicyFigures) -> Double, String)] = [
            ("Innocent subjects taken down", { $0.innocentShare * 100 }, "%"),
            ("Brigade targets taken down", { $0.brigadeShare * 100 }, "%"),
            ("Innocent live streams taken down", { $0.liveShare * 100 }, "%"),
            ("Violating subjects taken down", { $0.violatingShare * 100 }, "%"),
            ("Median minutes to takedown", { $0.medianMinutesToTakedown ?? 0 }, " min"),
            ("Moderator decisions", { Double($0.decisions) }, ""),
        ]
        let colors = ["#9e9e9e", "#e69f00", "#0072b2"]
        let panelWidth = 300.0, panelHeight = 190.0, columns = 3
        let rows = (panels.count + columns - 1) / columns
        let width = panelWidth * Double(columns) + 20, height = panelHeight * Double(rows) + 60
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="22" font-size="15" font-weight="bold">\(Self.escape("vigil simulate — \(scenario.name) (seed \(scenario.seed)): \(reports) reports, \(brigadeReports) from brigades"))</text>

            """
        for (i, f) in figures.enumerated() {
            let x = 10 + Double(i) * 190
            svg += "<rect x=\"\(x)\" y=\"34\" width=\"12\" height=\"12\" fill=\"\(colors[i % colors.count])\"/>"
            svg += "<text x=\"\(x + 17)\" y=\"45\">\(Self.escape(f.name))</text>\n"
        }
        for (p, panel) in panels.enumerated() {
            let ox = 10 + Double(p % columns) * panelWidth, oy = 60 + Double(p / columns) * panelHeight
            let values = figures.map(panel.1)
            let top = max(values.max() ?? 0, 1e-9) * 1.15
            let chartHeight = panelHeight - 60, barWidth = (panelWidth - 60) / Double(max(1, figures.count))
            svg += "<text x=\"\(ox)\" y=\"\(oy + 14)\" font-weight=\"bold\">\(Self.escape(panel.0))</text>\n"
            svg += "<line x1=\"\(ox)\" y1=\"\(oy + 20 + chartHeight)\" x2=\"\(ox + panelWidth - 30)\" y2=\"\(oy + 20 + chartHeight)\" stroke=\"#444\"/>\n"
            for (i, value) in values.enumerated() {
                let h = chartHeight * value / top
                let bx = ox + 10 + Double(i) * barWidth
                let by = oy + 20 + chartHeight - h
                svg += "<rect x=\"\(bx)\" y=\"\(by)\" width=\"\(barWidth * 0.7)\" height=\"\(h)\" fill=\"\(colors[i % colors.count])\"/>"
                let label = panel.2 == "%" ? String(format: "%.1f%%", value) : String(format: "%.0f%@", value, panel.2)
                svg += "<text x=\"\(bx + barWidth * 0.35)\" y=\"\(by - 4)\" text-anchor=\"middle\">\(Self.escape(label))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
