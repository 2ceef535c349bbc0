import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// A browser's view of the console, through the router: cookies and form posts by hand.
private struct ConsoleBrowser {
    let client: any TestClientProtocol
    var cookie: String?

    func get(_ uri: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "\(ConsoleAccounts.cookieName)=\(cookie)" }
        return try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    func post(_ uri: String, _ fields: [String: String], origin: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "\(ConsoleAccounts.cookieName)=\(cookie)" }
        if let origin { headers[.origin] = origin }
        let body = fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Signs in; keeps the session cookie.
    mutating func signIn(_ name: String, _ password: String, code: String? = nil) async throws -> TestResponse {
        var fields = ["name": name, "password": password]
        if let code { fields["code"] = code }
        let response = try await post("/console/signin", fields)
        if let header = response.headers[.setCookie], let value = header.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last {
            cookie = String(value)
        }
        return response
    }
}

private func csrf(in html: String) throws -> String {
    let marker = #"name="csrf" value=""#
    let start = try #require(html.range(of: marker)).upperBound
    return String(html[start...].prefix { $0 != "\"" })
}

private func enrolmentToken(_ h: Harness, _ name: String) async throws -> String {
    try await h.app.console.issueEnrolment(name: name).token
}

/// A moderator of `role`, enrolled and signed in to the console.
private func signedInBrowser(_ client: any TestClientProtocol, _ h: Harness, _ name: String, role: ModeratorRole) async throws -> ConsoleBrowser {
    _ = try await h.moderator(name, role: role)
    let token = try await enrolmentToken(h, name)
    var browser = ConsoleBrowser(client: client)
    let password = "\(name) has a long password"
    var fields = ["password": password, "confirmation": password]
    let step = h.app.clock.now().milliseconds / 30_000
    let secret = ConsoleAccounts.totpSecret(forEnrolment: token)
    func code(_ step: Int64) -> String { String(format: "%06d", TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: Double(step) * 30))) }
    let needsCode = ConsoleRules.standard.secondFactorRequired.contains(role)
    if needsCode { fields["code"] = code(step) }
    #expect(try await browser.post("/console/enrol/\(token)", fields).status == .ok)
    #expect(try await browser.signIn(name, password, code: needsCode ? code(step + 1) : nil).status == .seeOther)
    return browser
}

@Suite("Moderator console")
struct ConsoleTests {
    @Test("enrol, sign in, take the next case, read it with its reporters as pseudonyms and markup as text, decide by form", arguments: TestDatabase.all)
    func reviewLoop(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            _ = try await h.moderator("alice")
            let token = try await enrolmentToken(h, "alice")
            var browser = ConsoleBrowser(client: client)

            let form = try await browser.get("/console/enrol/\(token)")
            #expect(form.status == .ok)
            #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(form.headers[.xFrameOptions] == "DENY")
            let short = try await browser.post("/console/enrol/\(token)", ["password": "short", "confirmation": "short"])
            #expect(short.status == .unprocessableContent)
            let enrolled = try await browser.post("/console/enrol/\(token)", ["password": "correct horse battery", "confirmation": "correct horse battery"])
            #expect(enrolled.status == .ok)
            #expect(try await browser.get("/console/enrol/\(token)").status == .notFound, "an enrolment link works once")

            #expect(try await browser.get("/console").status == .seeOther, "no session: sent to sign in")
            #expect(try await browser.signIn("alice", "wrong password!!").status == .unauthorized)
            let signedIn = try await browser.signIn("alice", "correct horse battery")
            #expect(signedIn.status == .seeOther)
            let setCookie = try #require(signedIn.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))

            // A lone critical report opens an urgent case; its note carries markup.
            try await client.register(h, id: "clip-1", creator: "creator-9")
            let reporters = ["reporter-id-1f0c", "reporter-id-77ab"]
            _ = try await client.report(h, reporter: reporters[0], subject: "clip-1", reason: "child_safety",
                                        extra: #","note":"<script>alert(1)</script> look at 0:14""#)
            _ = try await client.report(h, reporter: reporters[1], subject: "clip-1", reason: "child_safety")

            let queue = try await browser.get("/console")
            #expect(queue.status == .ok)
            let queueHTML = String(buffer: queue.body)
            #expect(queueHTML.contains("child_safety") && queueHTML.contains("urgent"))
            #expect(queueHTML.contains(#"<a href="/console">1 open</a>"#) && queueHTML.contains("child_safety (1)"), "counts per filter")
            let token1 = try csrf(in: queueHTML)

            #expect(try await browser.post("/console/next", [:]).status == .forbidden, "no CSRF token")
            #expect(try await browser.post("/console/next", ["csrf": String(repeating: "0", count: 64)]).status == .forbidden, "a wrong CSRF token")
            #expect(try await browser.post("/console/next", ["csrf": token1], origin: "https://evil.example").status == .forbidden, "another origin")
            let next = try await browser.post("/console/next", ["csrf": token1])
            #expect(next.status == .seeOther)
            let casePath = try #require(next.headers[.location])
            #expect(casePath.hasPrefix("/console/cases/case_"))

            let casePage = try await browser.get(casePath)
            #expect(casePage.status == .ok)
            let caseHTML = String(buffer: casePage.body)
            #expect(caseHTML.contains("&lt;script&gt;alert(1)&lt;/script&gt; look at 0:14"))
            #expect(!caseHTML.contains("<script>alert"))
            #expect(caseHTML.contains("<td>Reporter A</td>") && caseHTML.contains("<td>Reporter B</td>"), "reporters appear as per-case pseudonyms")
            #expect(caseHTML.contains("Decide and take next"))
            for page in [queueHTML, caseHTML] {
                for reporter in reporters { #expect(!page.contains(reporter), "a reporter id on a console page") }
            }

            let decided = try await browser.post(casePath + "/decision", [
                "csrf": try csrf(in: caseHTML), "outcome": "violation", "policy": "child_safety", "action": "remove", "note": "seen", "then": "next",
            ])
            #expect(decided.status == .seeOther)
            let caseID = String(casePath.dropFirst("/console/cases/".count))
            let record = try await h.app.store.read { try await $0.caseRecord(id: caseID) }
            #expect(record?.status == .closed)
            #expect(try await client.state(h, of: "clip-1") == "removed")

            // Sign-out ends the session on the server: the old cookie no longer works.
            let again = try await browser.get("/console")
            #expect(try await browser.post("/console/signout", ["csrf": try csrf(in: String(buffer: again.body))]).status == .seeOther)
            #expect(try await browser.get("/console").status == .seeOther)
            try await h.expectAuditIntact()
        }
    }

    @Test("roles: triage sees the queue but cannot claim; appeals and privacy officers see no queue")
    func roles() async throws {
        try await withHarness { client, h async throws in
            for (name, role) in [("tim", ModeratorRole.triage), ("ada", .appeals)] {
                _ = try await h.moderator(name, role: role)
                let token = try await enrolmentToken(h, name)
                var browser = ConsoleBrowser(client: client)
                _ = try await browser.post("/console/enrol/\(token)", ["password": "a long enough password", "confirmation": "a long enough password"])
                #expect(try await browser.signIn(name, "a long enough password").status == .seeOther)
                let queue = try await browser.get("/console")
                if role == .triage {
                    #expect(queue.status == .ok)
                    #expect(!String(buffer: queue.body).contains("Take next case"))
                    let refused = try await browser.post("/console/next", ["csrf": try csrf(in: String(buffer: queue.body))])
                    #expect(refused.status == .forbidden)
                } else {
                    #expect(queue.status == .forbidden)
                }
            }
        }
    }

    @Test("a second factor: required for admins, a code is good once; five failures lock the account")
    func secondFactorAndLockout() async throws {
        try await withHarness { client, h async throws in
            _ = try await h.moderator("root", role: .admin)
            let token = try await enrolmentToken(h, "root")
            var browser = ConsoleBrowser(client: client)
            let password = "admin password 123"
            #expect(try await browser.post("/console/enrol/\(token)", ["password": password, "confirmation": password]).status == .unprocessableContent,
                    "an admin must set a second factor")
            let secret = ConsoleAccounts.totpSecret(forEnrolment: token)
            let now = h.app.clock.now()
            func code(_ step: Int64) -> String { String(format: "%06d", TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: Double(step) * 30))) }
            let step = now.milliseconds / 30_000
            #expect(try await browser.post("/console/enrol/\(token)", ["password": password, "confirmation": password, "code": code(step)]).status == .ok)
            // The enrolment used this step's code: sign-in needs a later one.
            #expect(try await browser.signIn("root", password).status == .unauthorized, "no code")
            #expect(try await browser.signIn("root", password, code: code(step)).status == .unauthorized, "a code already used")
            #expect(try await browser.signIn("root", password, code: code(step + 1)).status == .seeOther)

            for _ in 0..<5 { #expect(try await browser.signIn("root", "not the password").status == .unauthorized) }
            h.time.advance(seconds: 60)
            let locked = try await browser.signIn("root", password, code: code(step + 3))
            #expect(locked.status == .tooManyRequests, "locked after five failures, even with the right password")
            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            #expect(events.contains { $0.type == "console.sign_in_failed" && $0.payload.contains("locked_until") })
            #expect(events.contains { $0.type == "console.signed_in" })
        }
    }

    @Test("a session idle past its timeout is sent to sign in, and its end is audited")
    func idleTimeout() async throws {
        try await withHarness { client, h async throws in
            _ = try await h.moderator("bob")
            let token = try await enrolmentToken(h, "bob")
            var browser = ConsoleBrowser(client: client)
            _ = try await browser.post("/console/enrol/\(token)", ["password": "bob's long password", "confirmation": "bob's long password"])
            _ = try await browser.signIn("bob", "bob's long password")
            #expect(try await browser.get("/console").status == .ok)
            h.time.advance(seconds: 20 * 60)
            #expect(try await browser.get("/console").status == .ok, "used within the idle timeout")
            h.time.advance(seconds: 31 * 60)
            let expired = try await browser.get("/console")
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/console/signin?ended=1")
            #expect(String(buffer: try await browser.get("/console/signin?ended=1").body).contains("Your session has ended"))
            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            #expect(events.contains { $0.type == "console.signed_out" && $0.payload.contains("idle") })
        }
    }

    @Test("appeals: another moderator grants the appeal in the console; the original decider cannot", arguments: TestDatabase.all)
    func appeals(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "clip-a", creator: "creator-A")
            _ = try await client.report(h, reporter: "appeal-reporter-1", subject: "clip-a", reason: "child_safety")
            // Decided by a moderator who also holds the appeals role's powers (an admin).
            let deciderToken = try await h.moderator("dora", role: .admin)
            let decided = try await client.decideNext(deciderToken, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","note":"removed"}"#)
            let decisionID = try #require(decided["decision_id"] as? String)
            let filed = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-A","statement":"It was <i>satire</i>."}"#)
            let appealID = try #require(try filed.object()["appeal_id"] as? String)

            var dora = ConsoleBrowser(client: client)
            let doraEnrol = try await enrolmentToken(h, "dora")
            let secret = ConsoleAccounts.totpSecret(forEnrolment: doraEnrol)
            let step = h.app.clock.now().milliseconds / 30_000
            func code(_ step: Int64) -> String { String(format: "%06d", TOTP(secret: secret).compute(date: Date(timeIntervalSince1970: Double(step) * 30))) }
            _ = try await dora.post("/console/enrol/\(doraEnrol)", ["password": "dora's long password", "confirmation": "dora's long password", "code": code(step)])
            #expect(try await dora.signIn("dora", "dora's long password", code: code(step + 1)).status == .seeOther)
            let doraPage = try await dora.get("/console/appeals/\(appealID)")
            #expect(doraPage.status == .ok)
            let refused = try await dora.post("/console/appeals/\(appealID)/claim", ["csrf": try csrf(in: String(buffer: doraPage.body))])
            #expect(refused.status == .conflict, "the decider may not decide the appeal")
            #expect(String(buffer: refused.body).contains("another moderator must decide the appeal"))

            let ana = try await signedInBrowser(client, h, "ana", role: .appeals)
            let list = try await ana.get("/console/appeals")
            #expect(list.status == .ok)
            #expect(String(buffer: list.body).contains("It was &lt;i&gt;satire&lt;/i&gt;."))
            let page = try await ana.get("/console/appeals/\(appealID)")
            let pageHTML = String(buffer: page.body)
            #expect(pageHTML.contains(decisionID) && pageHTML.contains("child_safety"), "the contested decision is shown")
            #expect(try await ana.post("/console/appeals/\(appealID)/claim", ["csrf": try csrf(in: pageHTML)]).status == .seeOther)
            let held = String(buffer: try await ana.get("/console/appeals/\(appealID)").body)
            #expect(try await ana.post("/console/appeals/\(appealID)/decision", ["csrf": try csrf(in: held), "outcome": "granted", "note": "Satire is allowed."]).status == .seeOther)
            #expect(try await client.state(h, of: "clip-a") == "visible", "the granted appeal reinstated the subject")
            #expect(!String(buffer: try await ana.get("/console/appeals/\(appealID)").body).contains("appeal-reporter-1"))
        }
    }

    @Test("unseal: only a privacy officer, with a reason and a legal reference; the audit page lists it without the id", arguments: TestDatabase.all)
    func unseal(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "clip-u", creator: "creator-U")
            let filed = try await client.report(h, reporter: "the-reporter-account-42", subject: "clip-u", reason: "harassment")
            let reportID = try #require(try filed.object()["report_id"] as? String)

            for (name, role) in [("t1", ModeratorRole.triage), ("m1", .moderator), ("a1", .appeals), ("root1", .admin)] {
                let browser = try await signedInBrowser(client, h, name, role: role)
                #expect(try await browser.get("/console/unseal").status == .forbidden, "\(role) may not open the unseal page")
                let queueOrAppeals = try await browser.get(role == .appeals ? "/console/appeals" : "/console")
                let token = try csrf(in: String(buffer: queueOrAppeals.body))
                let tried = try await browser.post("/console/unseal", ["csrf": token, "report_id": reportID, "reason": "r", "legal_reference": "x"])
                #expect(tried.status == .forbidden, "\(role) may not unseal")
                #expect(!String(buffer: tried.body).contains("the-reporter-account-42"))
            }

            let officer = try await signedInBrowser(client, h, "pia", role: .privacyOfficer)
            let form = try await officer.get("/console/unseal")
            #expect(form.status == .ok)
            let token = try csrf(in: String(buffer: form.body))
            let missing = try await officer.post("/console/unseal", ["csrf": token, "report_id": reportID, "reason": "court order", "legal_reference": ""])
            #expect(missing.status == .unprocessableContent)
            #expect(!String(buffer: missing.body).contains("the-reporter-account-42"))
            let revealed = try await officer.post("/console/unseal", [
                "csrf": token, "report_id": reportID, "reason": "Court order on harassment", "legal_reference": "LG Berlin 27 O 123/26",
            ])
            #expect(revealed.status == .ok)
            #expect(revealed.headers[.cacheControl] == "no-store")
            let revealedHTML = String(buffer: revealed.body)
            #expect(revealedHTML.contains("the-reporter-account-42"))
            #expect(revealedHTML.contains("LG Berlin 27 O 123/26"), "the unseal is listed")

            let events = try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 1_000) }
            let unseal = try #require(events.first { $0.type == "reporter.unsealed" })
            #expect(unseal.payload.contains(reportID) && unseal.payload.contains("LG Berlin"))
            #expect(!events.contains { $0.payload.contains("the-reporter-account-42") }, "no event carries the reporter id")

            // The audit page: the unseal is there, the id is not; the chain verifies.
            let audit = try await officer.get("/console/audit?type=reporter.unsealed&verify=1")
            #expect(audit.status == .ok)
            let auditHTML = String(buffer: audit.body)
            #expect(auditHTML.contains("reporter.unsealed") && auditHTML.contains("Intact:"))
            #expect(!auditHTML.contains("the-reporter-account-42"))
            #expect(try await officer.get("/console").status == .forbidden, "a privacy officer has no queue")
            let reload = try await officer.get("/console/unseal")
            #expect(!String(buffer: reload.body).contains("the-reporter-account-42"), "shown once")
        }
    }

    @Test("admin: add a moderator (token and enrolment link shown once), change a role, disable; create and revoke a key; nobody else may")
    func admin() async throws {
        try await withHarness { client, h async throws in
            let root = try await signedInBrowser(client, h, "root", role: .admin)
            let page = try await root.get("/console/admin")
            #expect(page.status == .ok)
            var token = try csrf(in: String(buffer: page.body))
            let added = try await root.post("/console/admin/moderators", ["csrf": token, "name": "newbie", "role": "triage"])
            #expect(added.status == .ok)
            let addedHTML = String(buffer: added.body)
            #expect(addedHTML.contains("vmod_") && addedHTML.contains("/console/enrol/"), "the token and the link are shown once")
            #expect(!String(buffer: try await root.get("/console/admin").body).contains("vmod_"), "and not again")
            token = try csrf(in: addedHTML)
            #expect(try await root.post("/console/admin/moderators/newbie/role", ["csrf": token, "role": "moderator"]).status == .ok)
            #expect(try await h.app.moderators.list().first { $0.name == "newbie" }?.role == .moderator)
            #expect(try await root.post("/console/admin/moderators/newbie/disable", ["csrf": token]).status == .ok)
            #expect(try await h.app.moderators.list().first { $0.name == "newbie" }?.disabled == true)
            let duplicate = try await root.post("/console/admin/moderators", ["csrf": token, "name": "newbie", "role": "triage"])
            #expect(duplicate.status == .conflict)

            let key = try await root.post("/console/admin/keys", ["csrf": token, "scope.reports:write": "on", "scope.subjects:write": "on", "label": "<b>app</b>"])
            #expect(key.status == .ok)
            let keyHTML = String(buffer: key.body)
            #expect(keyHTML.contains("vgl_") && keyHTML.contains("&lt;b&gt;app&lt;/b&gt;"))
            let keyID = try #require(try await h.app.accessKeys.list().first { $0.label == "<b>app</b>" }?.id)
            #expect(try await root.post("/console/admin/keys", ["csrf": token, "label": "none"]).status == .unprocessableContent, "a key needs a scope")
            #expect(try await root.post("/console/admin/keys/\(keyID)/revoke", ["csrf": token]).status == .ok)
            #expect(try await h.app.accessKeys.list().first { $0.id == keyID }?.revokedAt != nil)

            for role in [ModeratorRole.triage, .moderator, .appeals, .privacyOfficer] {
                let other = try await signedInBrowser(client, h, "other-\(role.rawValue)", role: role)
                #expect(try await other.get("/console/admin").status == .forbidden, "\(role) may not open the admin page")
            }
        }
    }

    @Test("dashboard: open cases, confirmed removals, time to decision, the report chart; periods checked; no reporter ids", arguments: TestDatabase.all)
    func dashboard(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            for id in ["d-1", "d-2", "d-3"] {
                try await client.register(h, id: id, creator: "creator-D")
                _ = try await client.report(h, reporter: "dash-reporter-\(id)", subject: id, reason: "child_safety")
            }
            let token = try await h.moderator("deci")
            h.time.advance(seconds: 600)
            _ = try await client.decideNext(token, #"{"outcome":"violation","policy_ids":["child_safety"],"action":"remove","note":"removed"}"#)
            let viewer = try await signedInBrowser(client, h, "vera", role: .triage)
            let page = try await viewer.get("/console/dashboard?period=7d")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<dd id="open-cases">2"#), "two cases still open")
            #expect(html.contains("Confirmed removals: 1"))
            #expect(html.contains("10 min over 1 decision"), "the median time to decision")
            #expect(html.contains("3 in the last 7d"), "three reports in the chart")
            #expect(html.contains("<rect"), "the chart is drawn")
            for id in ["d-1", "d-2", "d-3"] { #expect(!html.contains("dash-reporter-\(id)")) }
            #expect(try await viewer.get("/console/dashboard?period=1y").status == .unprocessableContent)
            let officer = try await signedInBrowser(client, h, "pol", role: .privacyOfficer)
            #expect(try await officer.get("/console/dashboard").status == .forbidden)
        }
    }

    @Test("queue counts are kept 30 seconds, then recounted in the background while the kept ones are shown")
    func queueCountsKept() async throws {
        try await withHarness { client, h async throws in
            try await client.register(h, id: "k-1")
            _ = try await client.report(h, reporter: "count-reporter-1", subject: "k-1", reason: "child_safety")
            let browser = try await signedInBrowser(client, h, "cora", role: .moderator)
            #expect(String(buffer: try await browser.get("/console").body).contains(#"<a href="/console">1 open</a>"#))
            try await client.register(h, id: "k-2")
            _ = try await client.report(h, reporter: "count-reporter-2", subject: "k-2", reason: "child_safety")
            #expect(String(buffer: try await browser.get("/console").body).contains(#"<a href="/console">1 open</a>"#), "kept")
            h.time.advance(seconds: 20)
            #expect(String(buffer: try await browser.get("/console").body).contains(#"<a href="/console">1 open</a>"#), "still kept at 20 s")
            h.time.advance(seconds: 11)
            var counted = false
            for _ in 0..<50 where !counted {
                counted = String(buffer: try await browser.get("/console").body).contains(#"<a href="/console">2 open</a>"#)
                if !counted { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(counted, "recounted after 30 seconds")
        }
    }
}

@Suite("Moderator console: media, preferences, settings")
struct ConsoleMediaTests {
    @Test("media: previewed from the platform's address, greyscale and blurred at the moderator's strength; the policy allows only the media hosts", arguments: TestDatabase.all)
    func mediaPreview(database: TestDatabase) async throws {
        var settings = ConsoleSettings()
        settings.mediaSources = ["https://media.example.com"]
        try await withHarness(database: database, console: settings) { client, h async throws in
            var browser = try await signedInBrowser(client, h, "mia", role: .moderator)
            let body = #"{"kind":"video","creator_id":"creator-m","media":{"url":"https://media.example.com/v/clip-m.jpg?size=720","type":"image"}}"#
            #expect(try await client.json(.put, "/v1/subjects/clip-m", h, body).status == .created)
            _ = try await client.report(h, reporter: "media-reporter-1", subject: "clip-m", reason: "child_safety")

            let next = try await browser.post("/console/next", ["csrf": try csrf(in: String(buffer: try await browser.get("/console").body))])
            let casePath = try #require(next.headers[.location])
            let page = try await browser.get(casePath)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<div class="media-preview blur-2">"#), "blurred at the standard strength")
            #expect(html.contains(#"<img id="subject-media" src="https://media.example.com/v/clip-m.jpg?size=720""#))
            #expect(html.contains(#"<input type="checkbox" id="reveal-media" class="reveal-toggle">"#), "revealed on request")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("img-src 'self' data: https://media.example.com;") && policy.contains("media-src https://media.example.com;"))
            #expect(!policy.contains("unsafe-inline"))

            // The moderator's own blur strength, kept across pages.
            let preferences = String(buffer: try await browser.get("/console/preferences").body)
            #expect(preferences.contains(#"value="2" id="blur-2" checked"#))
            #expect(try await browser.post("/console/preferences", ["media_blur": "3"]).status == .forbidden, "no CSRF token")
            #expect(try await browser.post("/console/preferences", ["csrf": try csrf(in: preferences), "media_blur": "9"]).status == .unprocessableContent)
            #expect(try await browser.post("/console/preferences", ["csrf": try csrf(in: preferences), "media_blur": "3"]).status == .seeOther)
            #expect(String(buffer: try await browser.get(casePath).body).contains(#"<div class="media-preview blur-3">"#))

            // Another moderator keeps the standard strength.
            let other = try await signedInBrowser(client, h, "noor", role: .moderator)
            #expect(String(buffer: try await other.get(casePath).body).contains(#"<div class="media-preview blur-2">"#))

            // The platform may change the address, or take it away.
            let video = #"{"kind":"video","creator_id":"creator-m","media":{"url":"https://media.example.com/v/clip-m.mp4","type":"video"}}"#
            #expect(try await client.json(.put, "/v1/subjects/clip-m", h, video).status == .ok)
            #expect(String(buffer: try await browser.get(casePath).body).contains(#"<video id="subject-media" src="https://media.example.com/v/clip-m.mp4" controls muted"#))
            #expect(try await client.json(.put, "/v1/subjects/clip-m", h, #"{"kind":"video","creator_id":"creator-m"}"#).status == .ok)
            #expect(!String(buffer: try await browser.get(casePath).body).contains("media-preview"))
            browser.cookie = nil
        }
    }

    @Test("a media address that is not a plain https or http URL is refused, the field named")
    func mediaAddressRefused() async throws {
        try await withHarness { client, h async throws in
            for url in ["javascript:alert(1)", "data:image/png;base64,AAAA", "https://user:pw@media.example.com/a.jpg", "https://media.example.com/a b.jpg",
                        "//media.example.com/a.jpg", "https://media.example.com/\\\"onerror=\\\"x", "ftp://media.example.com/a.jpg",
                        "https://media.example.com/" + String(repeating: "a", count: 2_048)] {
                let body = #"{"kind":"video","creator_id":"c","media":{"url":"\#(url)"}}"#
                let response = try await client.json(.put, "/v1/subjects/bad-media", h, body)
                #expect(response.status == .unprocessableContent, "\(url)")
                #expect(String(buffer: response.body).contains("media.url"), "\(url)")
            }
            let kind = try await client.json(.put, "/v1/subjects/bad-media", h, #"{"kind":"video","creator_id":"c","media":{"url":"https://m.example/a","type":"audio"}}"#)
            #expect(kind.status == .unprocessableContent && String(buffer: kind.body).contains("media.type"))
            #expect(try await client.json(.put, "/v1/subjects/bad-media", h, #"{"kind":"video","creator_id":"c","media":{"url":"https://m.example/a","extra":1}}"#).status == .unprocessableContent)
        }
    }

    @Test("a page's background refresh does not keep a session alive past its idle timeout")
    func refreshIsNotActivity() async throws {
        var settings = ConsoleSettings()
        settings.rules.idleTimeoutSeconds = 120
        try await withHarness(console: settings) { client, h async throws in
            let browser = try await signedInBrowser(client, h, "rae", role: .moderator)
            var refresh: HTTPFields = [.cookie: "\(ConsoleAccounts.cookieName)=\(try #require(browser.cookie))"]
            refresh[ConsoleMiddleware.refreshHeader] = "1"
            let active = try await signedInBrowser(client, h, "sol", role: .moderator)
            for _ in 0..<2 {
                h.time.advance(seconds: 50)
                #expect(try await client.execute(uri: "/console/queue/rows", method: .get, headers: refresh, body: nil).status == .ok)
                #expect(try await active.get("/console").status == .ok)
            }
            h.time.advance(seconds: 50)
            // 150 seconds since the moderator last did anything: the refreshes did not count.
            let after = try await client.execute(uri: "/console/queue/rows", method: .get, headers: refresh, body: nil)
            #expect(after.status == .seeOther && after.headers[.location] == "/console/signin?ended=1")
            #expect(try await active.get("/console").status == .ok, "a moderator who keeps working stays signed in")
        }
    }

    @Test("sign-in attempts are limited per address over all names, before any password is checked")
    func signInRateLimit() async throws {
        // Two a minute: the limiter refills in real time (one every 30 s), and under a loaded suite
        // five at a minute refilled one (every 12 s) between the attempts.
        var settings = ConsoleSettings()
        settings.signInsPerMinutePerAddress = 2
        try await withHarness(console: settings) { client, h async throws in
            var browser = ConsoleBrowser(client: client)
            for index in 0..<2 {
                #expect(try await browser.signIn("nobody-\(index)", "a wrong password").status == .unauthorized)
            }
            let limited = try await browser.signIn("nobody-2", "a wrong password")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(String(buffer: limited.body).contains("Too many sign-in attempts from this address"))
            // Without a configured proxy header, a client cannot pick a fresh address for itself.
            var spoofed: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            spoofed[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.9"
            let tried = try await client.execute(uri: "/console/signin", method: .post, headers: spoofed, body: ByteBuffer(string: "name=x&password=y"))
            #expect(tried.status == .tooManyRequests)
        }
    }

    @Test("behind a proxy, sign-ins are limited per client address from the proxy's header (its last entry)")
    func signInRateLimitBehindProxy() async throws {
        var settings = ConsoleSettings()
        settings.signInsPerMinutePerAddress = 2
        settings.clientAddressHeader = "X-Forwarded-For"
        try await withHarness(console: settings) { client, h async throws in
            func attempt(_ forwarded: String) async throws -> HTTPResponse.Status {
                var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
                headers[HTTPField.Name("X-Forwarded-For")!] = forwarded
                return try await client.execute(uri: "/console/signin", method: .post, headers: headers, body: ByteBuffer(string: "name=x&password=y")).status
            }
            #expect(try await attempt("198.51.100.1") == .unauthorized)
            #expect(try await attempt("10.0.0.1, 198.51.100.1") == .unauthorized, "the proxy's entry is the last")
            #expect(try await attempt("10.0.0.2, 198.51.100.1") == .tooManyRequests, "a client-written first entry changes nothing")
            #expect(try await attempt("198.51.100.2") == .unauthorized, "another client has its own allowance")
        }
    }
}

extension ConsoleMediaTests {
    @Test("console settings from the environment: timeouts, lockout, second-factor roles, sign-in rate, media sources; bad values named")
    func settingsFromEnvironment() throws {
        let configuration = try ServerConfiguration.resolve(flags: .init(dataDirectory: "/tmp/x"), environment: [
            "VIGIL_CONSOLE_IDLE_MINUTES": "10", "VIGIL_CONSOLE_SESSION_HOURS": "8", "VIGIL_CONSOLE_LOCK_AFTER": "3",
            "VIGIL_CONSOLE_LOCK_MINUTES": "30", "VIGIL_CONSOLE_SECOND_FACTOR_ROLES": "moderator, appeals",
            "VIGIL_CONSOLE_SIGNIN_RATE_LIMIT": "12", "VIGIL_CONSOLE_MEDIA_SOURCES": "https://media.example.com https://*.cdn.example.com:8443",
            "VIGIL_CONSOLE_CLIENT_ADDRESS_HEADER": "X-Real-IP",
        ])
        #expect(configuration.console.clientAddressHeader == "X-Real-IP")
        let console = configuration.console
        #expect(console.rules.idleTimeoutSeconds == 600 && console.rules.absoluteTimeoutSeconds == 28_800)
        #expect(console.rules.lockAfterFailures == 3 && console.rules.lockSeconds == 1_800)
        #expect(console.rules.secondFactorRequired == [.admin, .privacyOfficer, .moderator, .appeals], "admin and privacy_officer always need one")
        #expect(console.signInsPerMinutePerAddress == 12)
        #expect(console.mediaSources == ["https://media.example.com", "https://*.cdn.example.com:8443"])

        #expect(throws: ServerConfiguration.Invalid.self) {
            try ServerConfiguration.resolve(flags: .init(dataDirectory: "/tmp/x"), environment: ["VIGIL_CONSOLE_IDLE_MINUTES": "0"])
        }
        for (name, value) in [("VIGIL_CONSOLE_MEDIA_SOURCES", "https://a.example; script-src *"), ("VIGIL_CONSOLE_MEDIA_SOURCES", "'unsafe-inline'"),
                              ("VIGIL_CONSOLE_MEDIA_SOURCES", "https://a.example/path"), ("VIGIL_CONSOLE_SECOND_FACTOR_ROLES", "moderator,root"),
                              ("VIGIL_CONSOLE_SIGNIN_RATE_LIMIT", "0"), ("VIGIL_CONSOLE_LOCK_AFTER", "1e99"),
                              ("VIGIL_CONSOLE_CLIENT_ADDRESS_HEADER", "X Forwarded")] {
            do {
                _ = try ServerConfiguration.resolve(flags: .init(dataDirectory: "/tmp/x"), environment: [name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch let invalid as ServerConfiguration.Invalid {
                #expect(invalid.problems.contains { $0.hasPrefix(name) }, "\(invalid.problems)")
            }
        }
    }
}

extension ConsoleMediaTests {
    @Test("the API document states the media address rule Vigil enforces")
    func documentedPattern() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: try OpenAPIDocument.json(policy: .builtIn)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let variants = try #require((schemas["SubjectRegistration"] as? [String: Any])?["oneOf"] as? [[String: Any]])
        #expect(variants.count == 2)
        for variant in variants {
            let media = try #require((variant["properties"] as? [String: Any])?["media"] as? [String: Any])
            let url = try #require((media["properties"] as? [String: Any])?["url"] as? [String: Any])
            #expect(url["pattern"] as? String == MediaReference.urlPattern)
            #expect(url["maxLength"] as? Int == MediaReference.maxURLBytes)
        }
    }
}
