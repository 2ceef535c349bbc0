import Prometheus
import Synchronization
import VigilCore
import VigilStore

/// Vigil's Prometheus metrics, served at `/metrics` (DESIGN.md §5).
///
/// Labels are route patterns, methods, status codes and outcomes only, never a concrete path, an
/// id or anything about a reporter (DESIGN.md §3), so a series can neither identify anyone nor
/// multiply without bound. The registry belongs to the application rather than the process-wide
/// `MetricsSystem`, which can be bootstrapped once per process: tests run many applications.
public final class VigilMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let openCases: Gauge
    private let overdueCases: Gauge
    private let unclaimedCases: Gauge
    private let openAppeals: Gauge
    private let auditEvents: Gauge
    private let databaseUp: Gauge
    private let webhookPending: Gauge
    private let webhookEndpointsDisabled: Gauge
    /// Webhook attempts by outcome (`delivered`, `failed`), made once.
    private let webhookAttempts: [String: Counter]
    private let webhookLatency: DurationHistogram
    private let intakeBatch: ValueHistogram
    /// Reports by status and whether they counted, made once: intake records one per report.
    private let reports: [String: Counter]
    /// Each request's series, found once: the registry validates names and labels on every lookup,
    /// which cost a third of `/healthz` throughput when done per request.
    private let requestSeries = Mutex<[RequestSeries: (count: Counter, duration: DurationHistogram)]>([:])
    private let signals: Counter
    /// From a signal's arrival to its rules' outcome committed: the detection path's own latency.
    private let detectionLatency: DurationHistogram
    /// Rule matches by rule, mode, action and whether the action applied, made on first use. Rule
    /// ids come from the operator's rule file (at most ``RuleSetLoader/maxRules``), never from a request.
    private let ruleMatches = Mutex<[[String]: Counter]>([:])

    private struct RequestSeries: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    /// Request latency buckets, 1 ms to 2.5 s: intake answers in milliseconds, exports take longer.
    static let latencyBuckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500].map { .microseconds(Int64($0 * 1_000)) }

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: .init(namespace: "vigil", metricName: name, unitName: "", helpText: help))
        }
        openCases = gauge("cases_open", "Open cases awaiting a decision.")
        overdueCases = gauge("cases_overdue", "Open cases past their category's review deadline.")
        unclaimedCases = gauge("cases_unclaimed", "Open cases no moderator holds a live claim on.")
        openAppeals = gauge("appeals_open", "Appeals awaiting a decision.")
        auditEvents = gauge("audit_events", "Events in the audit log (its head sequence number).")
        databaseUp = gauge("database_up", "1 if the last scrape could read the database, else 0.")
        webhookPending = gauge("webhook_deliveries_pending", "Webhook deliveries waiting for an attempt, due or not.")
        webhookEndpointsDisabled = gauge("webhook_endpoints_disabled", "Webhook endpoints that are disabled.")
        var attempts: [String: Counter] = [:]
        for outcome in ["delivered", "failed"] {
            attempts[outcome] = registry.makeCounter(
                descriptor: .init(namespace: "vigil", metricName: "webhook_attempts", unitName: "total", helpText: "Webhook delivery attempts made by this node, by outcome."),
                labels: [("outcome", outcome)])
        }
        webhookAttempts = attempts
        webhookLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "vigil", metricName: "webhook_attempt_duration", unitName: "seconds", helpText: "Time from sending a webhook to its answer."),
            buckets: Self.latencyBuckets + [.seconds(5), .seconds(15)])
        intakeBatch = registry.makeValueHistogram(
            descriptor: .init(namespace: "vigil", metricName: "intake_batch", unitName: "reports", helpText: "Reports committed per intake transaction (group commit)."),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
        var reports: [String: Counter] = [:]
        for status in [IntakeReceipt.Status.received, .duplicate] {
            for counted in [true, false] {
                reports[Self.reportKey(status, counted)] = registry.makeCounter(
                    descriptor: .init(namespace: "vigil", metricName: "reports", unitName: "total", helpText: "Reports answered by intake, by status and whether they counted."),
                    labels: [("status", status.rawValue), ("counted", counted ? "true" : "false")])
            }
        }
        self.reports = reports
        detectionLatency = registry.makeDurationHistogram(
            descriptor: .init(namespace: "vigil", metricName: "detection_duration", unitName: "seconds",
                              helpText: "From signals' arrival to the rules' outcome committed (recorded, evaluated, acted on)."),
            buckets: [0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 25, 50, 100, 250].map { .microseconds(Int64($0 * 1_000)) })
        signals = registry.makeCounter(
            descriptor: .init(namespace: "vigil", metricName: "signals", unitName: "total", helpText: "Signals about subjects' content recorded by this node."))
    }

    func recordDetection(duration: Duration) { detectionLatency.record(duration) }

    func recordSignals(_ count: Int) {
        if count > 0 { signals.increment(by: Int64(count)) }
    }

    /// One rule match: which rule, in which mode, with which action, and whether it was the one applied.
    func recordRuleMatch(rule: String, mode: String, action: String, applied: Bool) {
        let labels = [rule, mode, action, applied ? "true" : "false"]
        let counter = ruleMatches.withLock { known in
            if let counter = known[labels] { return counter }
            let counter = registry.makeCounter(
                descriptor: .init(namespace: "vigil", metricName: "rule_matches", unitName: "total", helpText: "Detection rule matches on this node."),
                labels: [("rule", rule), ("mode", mode), ("action", action), ("applied", labels[3])])
            known[labels] = counter
            return counter
        }
        counter.increment()
    }

    private static func reportKey(_ status: IntakeReceipt.Status, _ counted: Bool) -> String { "\(status.rawValue) \(counted)" }

    /// One answered request, by route pattern (`unmatched` when no route matched).
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = RequestSeries(method: method, route: route, status: status)
        let series = requestSeries.withLock { known in
            if let series = known[key] { return series }
            let series = (
                count: registry.makeCounter(
                    descriptor: .init(namespace: "vigil", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered."),
                    labels: [("method", method), ("route", route), ("status", String(status))]),
                duration: registry.makeDurationHistogram(
                    descriptor: .init(namespace: "vigil", metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request."),
                    labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets))
            known[key] = series
            return series
        }
        series.count.increment()
        series.duration.record(duration)
    }

    /// One report answered by intake: newly received or a duplicate, counted or not.
    func recordReport(_ receipt: IntakeReceipt) {
        reports[Self.reportKey(receipt.status, receipt.counted)]?.increment()
    }

    func recordIntakeBatch(size: Int) { intakeBatch.record(Double(size)) }

    /// One webhook attempt: its outcome and how long the receiver took.
    func recordWebhookAttempt(delivered: Bool, duration: Duration) {
        webhookAttempts[delivered ? "delivered" : "failed"]?.increment()
        webhookLatency.record(duration)
    }

    /// The exposition text, with the queue gauges read from the database now. A database that
    /// cannot be read still gets an answer: `vigil_database_up 0` and the last known gauges.
    func render(store: Store, now: Timestamp) async -> [UInt8] {
        if let counts = try? await store.read({ try await $0.operationalCounts(now: now) }) {
            openCases.set(Double(counts.openCases))
            overdueCases.set(Double(counts.overdueCases))
            unclaimedCases.set(Double(counts.unclaimedCases))
            openAppeals.set(Double(counts.openAppeals))
            auditEvents.set(Double(counts.auditEvents))
            webhookPending.set(Double(counts.webhookPending))
            webhookEndpointsDisabled.set(Double(counts.webhookEndpointsDisabled))
            databaseUp.set(1.0)
        } else {
            databaseUp.set(0.0)
        }
        return registry.emitToBuffer()
    }
}
