import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// Numbers from outside drive no arithmetic that can trap: every numeric field of every endpoint
/// gets extreme values, and the subjects that are accepted are then reported, claimed and
/// decided. The server answers each request with a 2xx or a 4xx; a trap would end the test process.
@Suite("Extreme numbers")
struct ExtremeNumberTests {
    /// JSON numbers at and past every edge: zero, negatives, the ends of Int64, 2^53 around
    /// Double's exact range, Vigil's own bounds, fractions, and Double's extremes.
    static let jsonNumbers = [
        "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "9007199254740992", "9007199254740993",
        "1000000000000", "1000000000001", "922337203685477581", "36500", "36501", "1.5", "1e308", "-1e308", "1e-308", "2.5e15",
    ]
    /// The same as query-string text, plus what is not a number at all.
    static let queryNumbers = jsonNumbers + ["", "NaN", "Infinity", "0x10", "+5", "99999999999999999999999"]

    @Test("the reported crash: a huge live audience is refused, and a stored one no longer kills intake", arguments: TestDatabase.all)
    func reportedCrash(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let huge = try await client.json(.put, "/v1/subjects/live-ovf", h, #"{"kind":"live","creator_id":"c","reach":{"live_viewers":922337203685477581}}"#)
            #expect(huge.status == .unprocessableContent)
            #expect(try huge.object()["field"] as? String == "reach.live_viewers")

            // A subject stored before reach was bounded (an older Vigil accepted any Int): reports
            // on it must not trap, however often the server restarts.
            let now = h.app.clock.now()
            try await h.app.store.write { tx in
                try await tx.insertSubject(Subject(id: "live-old", kind: .live, creatorID: "c",
                                                   reach: Reach(views: .max, liveViewers: .max), stateChangedAt: now), at: now)
            }
            for reporter in ["u1", "u2", "u3", "u4", "u5", "u6"] {
                let report = try await client.report(h, reporter: reporter, subject: "live-old", reason: "child_safety")
                #expect(report.status == .created, "\(report.text)")
            }
            let moderator = try await h.moderator("m")
            let queue = try await client.mod(.get, "/v1/mod/queue", token: moderator)
            #expect(queue.status == .ok)
            let decided = try await client.decideNext(moderator, #"{"outcome":"no_violation","note":"fine"}"#)
            #expect(decided["resulting_state"] as? String == "visible")
            try await h.expectAuditIntact()
        }
    }

    @Test("every numeric field of every endpoint, at every edge, then reports, claims and decisions on what was accepted", arguments: TestDatabase.all)
    func everyField(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let moderator = try await h.moderator("mod", role: .admin)
            let appeals = try await h.moderator("apl", role: .appeals)
            var requests = 0
            func check(_ response: TestResponse, _ what: String) {
                requests += 1
                #expect(response.status.code < 500, "\(what): \(response.status) \(response.text.prefix(200))")
                if response.status.code >= 400 {
                    #expect(response.headers[.contentType] == "application/problem+json", "\(what)")
                }
            }

            // Bodies: reach on each kind, and the reporter's account age.
            var accepted: [String] = []
            for (index, number) in Self.jsonNumbers.enumerated() {
                for (kind, field) in [("video", "views"), ("live", "live_viewers"), ("live", "views"), ("comment", "views")] {
                    let id = "s-\(index)-\(kind)-\(field)"
                    let response = try await client.json(.put, "/v1/subjects/\(id)", h, #"{"kind":"\#(kind)","creator_id":"c-\#(index % 3)","reach":{"\#(field)":\#(number)}}"#)
                    check(response, "reach.\(field)=\(number)")
                    if response.status == .created { accepted.append(id) } else {
                        let named = try response.object()["field"] as? String
                        #expect(response.status == .unprocessableContent && named == "reach.\(field)", "reach.\(field)=\(number): \(response.text)")
                    }
                }
            }
            #expect(accepted.count >= 8, "the in-range values were accepted")
            for (index, number) in Self.jsonNumbers.enumerated() {
                for subject in accepted.prefix(6) {
                    let response = try await client.report(h, reporter: "r-\(index)", subject: subject, reason: "child_safety",
                                                           extra: #","reporter_account_age_days":\#(number)"#)
                    check(response, "reporter_account_age_days=\(number)")
                    if response.status.code >= 400, response.status != .tooManyRequests {
                        let named = try response.object()["field"] as? String
                        #expect(named == "reporter_account_age_days", "\(number): \(response.text)")
                    }
                }
            }
            for subject in accepted {
                for reporter in 0..<4 {
                    check(try await client.report(h, reporter: "plain-\(reporter)", subject: subject, reason: "hate_speech"), "report on \(subject)")
                }
            }

            // Query numbers and forged cursors on every paged endpoint.
            let forged = ["9223372036854775807:9223372036854775807", "-9223372036854775808:0", "999999999999:1", "9223372036854775807", "-1", "x:y"]
                .map { OpaqueCursor.encode($0) }
            let paged = [
                "/v1/reporters/r-1/reports", "/v1/creators/c-1/notices", "/v1/reporters/r-1/notices", "/v1/enforcement-events",
            ]
            for path in paged {
                for number in Self.queryNumbers { check(try await client.json(.get, "\(path)?limit=\(number)", h), "\(path) limit=\(number)") }
                for cursor in forged {
                    check(try await client.json(.get, "\(path)?cursor=\(cursor)", h), "\(path) cursor")
                    check(try await client.json(.get, "\(path)?after=\(cursor)", h), "\(path) after")
                }
            }
            for number in Self.queryNumbers { check(try await client.json(.get, "/v1/enforcement-events?after=\(number)", h), "after=\(number)") }
            let modPaths = ["/v1/mod/queue", "/v1/mod/appeals"]
            let firstCase = try #require(try await client.mod(.get, "/v1/mod/queue?limit=1", token: moderator).object()["cases"] as? [[String: Any]])
            let caseID = try #require(firstCase.first?["case_id"] as? String)
            for path in modPaths + ["/v1/mod/cases/\(caseID)/reports"] {
                for number in Self.queryNumbers { check(try await client.mod(.get, "\(path)?limit=\(number)", token: moderator), "\(path) limit=\(number)") }
                for cursor in forged { check(try await client.mod(.get, "\(path)?cursor=\(cursor)", token: moderator), "\(path) cursor") }
            }
            for date in ["0000-01-01", "9999-12-31", "-999999-01-01", "+275760-09-13", "2026-13-45", "1e308"] {
                check(try await client.mod(.get, "/v1/mod/transparency?from=\(date)&to=9999-12-31", token: moderator), "transparency from=\(date)")
            }

            // Claims and decisions on everything that reached the queue, then an appeal on each removal.
            var decisions = 0
            while true {
                let claimed = try await client.mod(.post, "/v1/mod/queue/next", token: moderator)
                check(claimed, "queue/next")
                guard claimed.status == .ok, let id = try claimed.object()["case_id"] as? String else { break }
                check(try await client.mod(.get, "/v1/mod/cases/\(id)", token: moderator), "case view")
                let body = decisions % 2 == 0
                    ? #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","strike":true,"note":"seen"}"#
                    : #"{"outcome":"no_violation","note":"fine"}"#
                let decision = try await client.mod(.post, "/v1/mod/cases/\(id)/decision", token: moderator, body)
                check(decision, "decision")
                #expect(decision.status == .created)
                decisions += 1
                if decisions % 2 == 1, let decisionID = try decision.object()["decision_id"] as? String,
                   let creator = try await client.json(.get, "/v1/subjects/\(try decision.object()["subject_id"] as? String ?? "")", h).object()["creator_id"] as? String {
                    let appeal = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","creator_id":"\#(creator)","statement":"no"}"#)
                    check(appeal, "appeal")
                }
            }
            #expect(decisions >= 8, "the accepted subjects were reviewed")
            check(try await client.mod(.get, "/v1/mod/appeals?limit=100", token: appeals), "appeals queue")
            #expect(try await client.json(.get, "/healthz", h).status == .ok, "still up")
            try await h.expectAuditIntact()
            #expect(requests > 500)
            print("extreme numbers: \(requests) requests, \(accepted.count) subjects accepted, \(decisions) cases decided")
        }
    }

    @Test("a seeded random walk over reach and account age: every answer a 2xx or a 4xx")
    func randomWalk() async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            var generator = SplitMix64(seed: 0x5EED_2026)
            let edges: [Int64] = [0, 1, -1, .max, .min, 1 << 53, (1 << 53) + 1, 1_000_000_000_000, 1_000_000_000_001, 36_500, 36_501]
            func value() -> String {
                switch generator.next() % 4 {
                case 0: String(edges[Int(generator.next() % UInt64(edges.count))])
                case 1: String(Int64(bitPattern: generator.next()))
                case 2: String(generator.next() % 2_000_000_000_000)
                default: ["1e308", "-1e308", "0.5", "1e12", "-0"][Int(generator.next() % 5)]
                }
            }
            var statuses: [Int: Int] = [:]
            for i in 0..<400 {
                let kind = ["video", "live", "comment", "account"][i % 4]
                let put = try await client.json(.put, "/v1/subjects/w-\(i)", h,
                                                #"{"kind":"\#(kind)","creator_id":"c","reach":{"views":\#(value()),"live_viewers":\#(kind == "live" ? value() : "0")}}"#)
                statuses[Int(put.status.code), default: 0] += 1
                let report = try await client.report(h, reporter: "walker-\(i % 7)", subject: "w-\(i)", reason: "child_safety",
                                                     extra: #","reporter_account_age_days":\#(value())"#)
                statuses[Int(report.status.code), default: 0] += 1
            }
            #expect(statuses.keys.allSatisfy { $0 < 500 }, "\(statuses)")
            #expect(statuses[201, default: 0] > 0 && statuses[422, default: 0] > 0, "both sides of the bounds were reached: \(statuses)")
            #expect(Set(statuses.keys).isSubset(of: [200, 201, 404, 422]), "refusals name their field (422), not a bare 400: \(statuses)")
            print("random walk: 800 requests, statuses \(statuses.sorted { $0.key < $1.key })")
        }
    }

    @Test("time arithmetic saturates instead of trapping", arguments: [Double.infinity, -.infinity, .nan, 1e300, -1e300, 9.3e15])
    func timestamps(seconds: Double) {
        let base = Timestamp(milliseconds: 1_800_000_000_000)
        _ = base.adding(seconds: seconds)
        _ = Timestamp(milliseconds: .max).adding(seconds: 1)
        _ = Timestamp(milliseconds: .min).adding(seconds: -1)
        #expect(Timestamp(milliseconds: .min).hourFloor.milliseconds <= Timestamp(milliseconds: .min).milliseconds + 3_600_000)
        #expect(Timestamp(milliseconds: -1).hourFloor.milliseconds == -3_600_000)
        #expect(Timestamp(milliseconds: .max).seconds(until: Timestamp(milliseconds: .min)) < 0)
        #expect(CasePriority.base(severity: .critical, weightedScore: .infinity, reach: Reach(views: .max, liveViewers: .max)).isFinite)
    }
}

/// A small seeded generator, so the random walk is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
