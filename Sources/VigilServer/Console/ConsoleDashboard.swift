import Foundation
import Hummingbird
import VigilCore
import VigilStore

/// The dashboard's periods: how far back, and the bucket the report chart counts in.
enum DashboardPeriod: String, CaseIterable {
    case day = "24h", week = "7d", month = "30d"

    var seconds: Double {
        switch self {
        case .day: 86_400
        case .week: 7 * 86_400
        case .month: 30 * 86_400
        }
    }

    var bucketSeconds: Int64 {
        switch self {
        case .day: 3_600
        case .week: 6 * 3_600
        case .month: 86_400
        }
    }

    var bucketName: String {
        switch self {
        case .day: "hour"
        case .week: "6 hours"
        case .month: "day"
        }
    }
}

/// The dashboard page: its figures from the store, and charts drawn as SVG on the server (the
/// Content-Security-Policy allows no script to draw them).
struct ConsoleDashboard {
    let store: Store
    let rules: RulesReporting
    let clock: VigilClock

    /// Colours for the categories' bars, distinguishable and dark enough on white.
    static let palette = ["#0b5cad", "#a40e26", "#7a4a00", "#1a7f37", "#6f42c1", "#bc4c00", "#0a7480", "#57606a"]

    func values(period: DashboardPeriod) async throws -> [String: Any] {
        let now = clock.now()
        let since = now.adding(seconds: -period.seconds)
        let figures = try await store.read { try await $0.moderationFigures(since: since, bucketSeconds: period.bucketSeconds, decisionSample: 10_000) }
        var values: [String: Any] = [
            "periods": DashboardPeriod.allCases.map { ["id": $0.rawValue, "selected": $0 == period] },
            "period": period.rawValue, "bucket": period.bucketName,
            "provisional": figures.provisionalTakedowns, "removals": figures.confirmedRemovals,
            "open_cases": figures.openCases,
            "decisions": figures.decisionSeconds.count == 1 ? "1 decision" : "\(figures.decisionSeconds.count) decisions",
            "appeals_decided": figures.appealsGranted + figures.appealsDenied == 1 ? "1 decided appeal" : "\(figures.appealsGranted + figures.appealsDenied) decided appeals",
        ]
        if let oldest = figures.oldestOpenCase { values["oldest"] = Self.duration(oldest.seconds(until: now)) }
        if let median = figures.medianDecisionSeconds { values["median_decision"] = Self.duration(median) }
        if let rate = figures.appealReversalRate { values["reversal_rate"] = String(format: "%.0f%%", rate * 100) }
        values.merge(Self.reportChart(figures.reports, since: since, now: now, bucketSeconds: period.bucketSeconds)) { _, new in new }
        values["takedown_bars"] = Self.pairBars([("Provisional takedowns", figures.provisionalTakedowns, 0), ("Confirmed removals", figures.confirmedRemovals, 1)])
        let reports = try await rules.report()
        values["rules"] = reports.map { report in
            ["id": report.rule.id, "mode": report.mode.rawValue, "decided": report.stats.decided,
             "precision": report.stats.precision.map { String(format: "%.0f%%", $0 * 100) } ?? "not yet measured"] as [String: Any]
        }
        values["has_rules"] = !reports.isEmpty
        return values
    }

    /// A stacked bar per bucket, one colour per category, with its legend.
    static func reportChart(_ buckets: [ModerationFigures.CategoryBucket], since: Timestamp, now: Timestamp, bucketSeconds: Int64) -> [String: Any] {
        let width = 600.0, height = 140.0
        let bucketMs = bucketSeconds * 1_000
        let first = since.milliseconds / bucketMs, last = now.milliseconds / bucketMs
        let slots = max(1, Int(last - first + 1))
        let categories = Array(Set(buckets.map(\.category))).sorted()
        let colour = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, palette[$0 % palette.count]) })
        var totals = [Int](repeating: 0, count: slots)
        for bucket in buckets {
            let slot = Int(bucket.bucket.milliseconds / bucketMs - first)
            if totals.indices.contains(slot) { totals[slot] += bucket.reports }
        }
        let top = max(1, totals.max() ?? 1)
        let slotWidth = width / Double(slots)
        var stacked = [Double](repeating: 0, count: slots)
        var rects: [[String: Any]] = []
        for bucket in buckets.sorted(by: { ($0.bucket, $0.category) < ($1.bucket, $1.category) }) {
            let slot = Int(bucket.bucket.milliseconds / bucketMs - first)
            guard stacked.indices.contains(slot) else { continue }
            let h = Double(bucket.reports) / Double(top) * (height - 4)
            stacked[slot] += h
            rects.append(["x": Rounded.tenth(Double(slot) * slotWidth + 0.5), "y": Rounded.tenth(height - stacked[slot]),
                          "w": Rounded.tenth(max(1, slotWidth - 1)), "h": Rounded.tenth(h), "fill": colour[bucket.category] ?? palette[0],
                          "label": "\(bucket.category): \(bucket.reports) reports from \(bucket.bucket.iso8601)"])
        }
        return ["report_rects": rects, "report_legend": categories.map { ["category": $0, "fill": colour[$0] ?? palette[0]] },
                "report_total": totals.reduce(0, +), "report_peak": top, "chart_width": Int(width), "chart_height": Int(height)]
    }

    /// Horizontal bars for a few counts, scaled to the largest.
    static func pairBars(_ items: [(String, Int, Int)]) -> [[String: Any]] {
        let top = max(1, items.map(\.1).max() ?? 1)
        return items.enumerated().map { index, item in
            ["label": item.0, "count": item.1, "y": index * 28 + 4, "text_y": index * 28 + 19,
             "w": item.1 == 0 ? 0 : Rounded.tenth(max(1, Double(item.1) / Double(top) * 300)), "fill": palette[item.2 % palette.count]] as [String: Any]
        }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 120 { return "\(Int(seconds)) s" }
        if seconds < 7_200 { return "\(Int(seconds / 60)) min" }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3_600) }
        return String(format: "%.1f days", seconds / 86_400)
    }
}
