import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
import VigilCore

@Suite("Prometheus metrics")
struct MetricsTests {
    /// The value of one series in exposition text, or nil if it is absent.
    static func value(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("/metrics needs scope metrics:read and counts requests, reports and queues, with no id in any label", arguments: TestDatabase.all)
    func scrape(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "metrics-video-1")
            #expect(try await client.report(h, reporter: "metrics-reporter-1", subject: "metrics-video-1", reason: "child_safety",
                                            headers: [idempotencyKey: "m-1"]).status == .created)
            // A retry under the same key replays the first answer: no second report, and none counted.
            #expect(try await client.report(h, reporter: "metrics-reporter-1", subject: "metrics-video-1", reason: "child_safety",
                                            headers: [idempotencyKey: "m-1"]).status == .created)
            #expect(try await client.report(h, reporter: "metrics-reporter-1", subject: "metrics-video-1", reason: "spam").status == .ok)
            #expect(try await client.report(h, reporter: "metrics-reporter-2", subject: "no-such-subject").status.code == 422)

            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let platformOnly = try await h.key(scopes: [.reportsWrite])
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(platformOnly)"]).status == .forbidden)

            let scraper = try await h.key(scopes: [.metricsRead])
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(scraper)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text

            #expect(Self.value(#"vigil_http_requests_total{method="POST",route="/v1/reports",status="201"}"#, in: text) == 2)
            #expect(Self.value(#"vigil_http_requests_total{method="POST",route="/v1/reports",status="200"}"#, in: text) == 1)
            #expect(Self.value(#"vigil_http_requests_total{method="POST",route="/v1/reports",status="422"}"#, in: text) == 1)
            #expect(Self.value(#"vigil_http_requests_total{method="PUT",route="/v1/subjects/{id}",status="201"}"#, in: text) == 1)
            #expect(Self.value(#"vigil_http_requests_total{method="GET",route="/metrics",status="401"}"#, in: text) == 1)
            #expect(Self.value(#"vigil_http_request_duration_seconds_count{method="POST",route="/v1/reports"}"#, in: text) == 4)
            #expect(Self.value(#"vigil_reports_total{status="received",counted="true"}"#, in: text) == 1)
            #expect(Self.value(#"vigil_reports_total{status="duplicate",counted="false"}"#, in: text) == 1)
            #expect(Self.value("vigil_intake_batch_reports_count", in: text) ?? 0 >= 1)
            // One child_safety report takes the video down and opens one unclaimed case.
            #expect(Self.value("vigil_cases_open", in: text) == 1)
            #expect(Self.value("vigil_cases_unclaimed", in: text) == 1)
            #expect(Self.value("vigil_cases_overdue", in: text) == 0)
            #expect(Self.value("vigil_appeals_open", in: text) == 0)
            #expect(Self.value("vigil_database_up", in: text) == 1)
            #expect(Self.value("vigil_audit_events", in: text).map { $0 >= 3 } == true)

            // Labels are patterns: no subject id, reporter id or key reaches the exposition.
            for secret in ["metrics-video-1", "metrics-reporter-1", "metrics-reporter-2", "no-such-subject", scraper, platformOnly] {
                #expect(!text.contains(secret), "\(secret) appears in /metrics")
            }

            // A claim shows in the unclaimed gauge at the next scrape.
            let moderator = try await h.moderator("metrics-mod")
            #expect(try await client.mod(.post, "/v1/mod/queue/next", token: moderator).status == .ok)
            let after = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(scraper)"]).text
            #expect(Self.value("vigil_cases_unclaimed", in: after) == 0)
            #expect(Self.value("vigil_cases_open", in: after) == 1)
        }
    }
}
