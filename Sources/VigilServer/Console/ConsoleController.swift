import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// The moderator console under `/console`: sign-in and enrolment, the queue, the case page and the
/// review loop. Every action goes through the same workflows as the moderator API, with the same
/// role checks; pages draw the API's own views, so they show no more than the API does.
struct ConsoleController {
    let accounts: ConsoleAccounts
    let review: ReviewWorkflow
    let policy: Policy
    let credibility: CredibilityModel
    let pages: ConsolePages
    /// Sign-in attempts per client address.
    let signInLimiter: RateLimiter
    let settings: ConsoleSettings

    func addRoutes(to router: Router<VigilRequestContext>) {
        let console = router.group("console").add(middleware: ConsoleMiddleware(accounts: accounts, pages: pages))
        console.get("static/console.css") { _, _ in Self.asset(pages.stylesheet, type: "text/css; charset=utf-8") }
        console.get("static/console.js") { _, _ in Self.asset(pages.script, type: "text/javascript; charset=utf-8") }
        console.get("signin", use: signInForm)
        console.post("signin", use: signIn)
        console.get("enrol/{token}", use: enrolForm)
        console.post("enrol/{token}", use: enrol)
        console.post("signout", use: signOut)
        console.get("", use: queue)
        console.get("queue/rows", use: queueRows)
        console.post("next", use: next)
        console.get("cases/{id}", use: showCase)
        console.post("cases/{id}/claim", use: claim)
        console.post("cases/{id}/release", use: release)
        console.post("cases/{id}/decision", use: decide)
    }

    private static func asset(_ body: ByteBuffer, type: String) -> Response {
        var headers = ConsolePages.headers(contentType: type)
        headers[.cacheControl] = "max-age=300"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    // MARK: Sign-in

    @Sendable func signInForm(_ request: Request, context: VigilRequestContext) async throws -> Response {
        if context.console != nil { return ConsolePages.redirect(to: "/console") }
        let ended = try FormQuery(request).get("ended") != nil
        return pages.render("signin", title: "Sign in", signedIn: nil,
                            ended ? ["notice": "Your session has ended: it was idle too long, reached its time limit, or was signed out. Sign in again."] : [:])
    }

    @Sendable func signIn(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let form = context.consoleForm ?? FormQuery(encoded: "")
        let name = try form.get("name") ?? ""
        let forwarded = settings.clientAddressHeader.flatMap { HTTPField.Name($0) }.flatMap { request.headers[$0] }
        do {
            try signInLimiter.admit(settings.clientAddress(headerValue: forwarded, connection: context.remoteAddress))
        } catch {
            guard case .rateLimited(let seconds) = error else { throw error }
            var response = pages.render("signin", title: "Sign in", signedIn: nil, [
                "error": "Too many sign-in attempts from this address: wait \(seconds) seconds and try again.", "name": name,
            ], status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        do {
            let (cookie, _) = try await accounts.signIn(name: name, password: try form.get("password") ?? "", code: try form.get("code"))
            let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
            var response = ConsolePages.redirect(to: "/console")
            response.setCookie(Cookie(name: ConsoleAccounts.cookieName, value: cookie, path: "/console", secure: secure, httpOnly: true, sameSite: .strict))
            return response
        } catch let error as VigilError {
            let status: HTTPResponse.Status = if case .rateLimited = error { .tooManyRequests } else { .unauthorized }
            let message = if case .rateLimited = error { "Too many failed sign-ins: this account is locked for a while." } else { "The name, password or code is not right." }
            return pages.render("signin", title: "Sign in", signedIn: nil, ["error": message, "name": name], status: status)
        }
    }

    @Sendable func enrolForm(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let enrolment = try await accounts.enrolment(token: token)
        return pages.render("enrol", title: "Set your password", signedIn: nil, enrolValues(token: token, enrolment))
    }

    @Sendable func enrol(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = context.consoleForm ?? FormQuery(encoded: "")
        do {
            try await accounts.enrol(token: token, password: try form.get("password") ?? "", confirmation: try form.get("confirmation") ?? "",
                                     totpCode: try form.get("code"))
        } catch VigilError.invalidField(let field, let detail) {
            var values = enrolValues(token: token, try await accounts.enrolment(token: token))
            values["error"] = "\(field) \(detail)"
            return pages.render("enrol", title: "Set your password", signedIn: nil, values, status: .unprocessableContent)
        }
        return pages.render("enrolled", title: "Password set", signedIn: nil)
    }

    private func enrolValues(token: String, _ enrolment: (moderator: AuthenticatedModerator, secondFactorRequired: Bool, totpSecret: String, totpURL: String)) -> [String: Any] {
        ["token": token, "name": enrolment.moderator.name, "role": enrolment.moderator.role.rawValue,
         "required": enrolment.secondFactorRequired, "secret": enrolment.totpSecret, "totp_url": enrolment.totpURL]
    }

    @Sendable func signOut(_ request: Request, context: VigilRequestContext) async throws -> Response {
        if let signedIn = context.console { try await accounts.signOut(signedIn) }
        var response = ConsolePages.redirect(to: "/console/signin")
        response.setCookie(Cookie(name: ConsoleAccounts.cookieName, value: "", maxAge: 0, path: "/console", httpOnly: true, sameSite: .strict))
        return response
    }

    // MARK: Queue

    @Sendable func queue(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.triage, .moderator)
        var values = try await queueValues(request)
        let counts = try await review.queueCounts()
        values["categories"] = policy.categoryIDs.map { ["id": $0, "selected": $0 == (values["category"] as? String), "count": counts.byCategory[$0] ?? 0] }
        values["counts"] = ["open": counts.open, "live": counts.live, "overdue": counts.overdue, "urgent": counts.urgent, "claimed": counts.claimed,
                            "coordinated": counts.coordinated, "automated": counts.automated, "as_of": counts.asOf.iso8601] as [String: Any]
        values["may_claim"] = [.moderator, .admin].contains(signedIn.moderator.role)
        return pages.render("queue", title: "Queue", signedIn: signedIn, values)
    }

    /// The queue's rows alone, for the page's refresh without reloading.
    @Sendable func queueRows(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.triage, .moderator)
        return pages.render("queue-rows", title: "Queue", signedIn: signedIn, try await queueValues(request))
    }

    private func queueValues(_ request: Request) async throws -> [String: Any] {
        let query = FormQuery(request)
        var filter = QueueFilter()
        var chosen: [String: Any] = [:]
        if let kind = try query.get("kind"), !kind.isEmpty {
            guard let parsed = SubjectKind(rawValue: kind) else { throw VigilError.invalidField(field: "kind", detail: "is not a kind of subject") }
            filter.kind = parsed
            chosen["kind_\(kind)"] = true
        }
        if let category = try query.get("category"), !category.isEmpty {
            guard policy.category(category) != nil else { throw VigilError.invalidField(field: "category", detail: "is not a policy category") }
            filter.category = category
            chosen["category"] = category
        }
        for flag in ["overdue", "claimed", "coordinated", "automated"] {
            guard let value = try query.get(flag), !value.isEmpty else { continue }
            let parsed = try ModerationController.flag(value, field: flag)
            switch flag {
            case "overdue": filter.overdue = parsed
            case "claimed": filter.claimed = parsed
            case "coordinated": filter.coordinated = parsed
            default: filter.automated = parsed
            }
            chosen["\(flag)_\(value)"] = true
        }
        let page = try await review.queue(filter: filter, cursor: try query.get("cursor").flatMap { $0.isEmpty ? nil : $0 }, limit: 50)
        let view = QueueView(entries: page.entries, now: page.now, nextCursor: page.nextCursor)
        var values: [String: Any] = ["cases": view.cases, "as_of": view.asOf]
        values["next_cursor"] = view.nextCursor
        values.merge(chosen) { _, new in new }
        values["more"] = page.nextCursor != nil && page.entries.count == 50
        values["query"] = request.uri.query ?? ""
        values["empty"] = page.entries.isEmpty
        return values
    }

    @Sendable func next(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.moderator)
        guard let claimed = try await review.claimNext(by: signedIn.moderator) else { return ConsolePages.redirect(to: "/console?empty=1") }
        return ConsolePages.redirect(to: "/console/cases/\(Self.pathComponent(claimed.id))")
    }

    // MARK: Case

    @Sendable func showCase(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.triage, .moderator, .appeals)
        let caseID = try context.pathID("id")
        let overview = try await review.caseOverview(caseID: caseID)
        let reports = try await review.caseReports(caseID: caseID, reason: nil, cursor: nil, limit: 100)
        var values = try TemplateValues.from(CaseDetail(overview, policy: policy)) as? [String: Any] ?? [:]
        let reportValues = try TemplateValues.from(CaseReportPage(reports, model: credibility)) as? [String: Any] ?? [:]
        values["reports"] = reportValues["reports"]
        if var subject = values["subject"] as? [String: Any] {
            subject["watching"] = overview.subject.reach.liveViewers > 0
            values["subject"] = subject
        }
        if let media = overview.subject.media {
            // Blurred and greyscale until the moderator reveals it, at the moderator's own strength.
            let blur = try await accounts.preferences(of: signedIn).mediaBlur
            values["preview"] = ["url": media.url, "image": media.kind == .image, "video": media.kind == .video, "blur": blur.rawValue] as [String: Any]
        }
        values["more_reports"] = reports.nextCursor != nil
        let holds = overview.record.holder(at: overview.asOf) == signedIn.moderator.id
        let decider = [.moderator, .admin].contains(signedIn.moderator.role)
        values["holds"] = holds && overview.record.status == .open
        values["may_claim"] = decider && overview.record.status == .open && !holds
        values["lease_seconds"] = overview.record.claimExpiresAt.map { max(0, Int(overview.asOf.seconds(until: $0).rounded())) } ?? 0
        values["policies"] = policy.categoryIDs.map { ["id": $0, "selected": $0 == overview.record.category] }
        values["case_path"] = Self.pathComponent(caseID)
        values["chart_bars"] = Self.bars(overview.hourly.map { ($0.weight, "\($0.reports) reports, weight \(Rounded.tenth($0.weight))") })
        values["notice"] = try FormQuery(request).get("done")
        return pages.render("case", title: "Case \(caseID)", signedIn: signedIn, values)
    }

    @Sendable func claim(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.moderator)
        let caseID = try context.pathID("id")
        _ = try await review.claim(caseID: caseID, by: signedIn.moderator)
        return ConsolePages.redirect(to: "/console/cases/\(Self.pathComponent(caseID))")
    }

    @Sendable func release(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.moderator)
        try await review.release(caseID: try context.pathID("id"), by: signedIn.moderator)
        return ConsolePages.redirect(to: "/console")
    }

    /// Decides the held case from the form (outcome, policies, action, strike, note), then takes the next case.
    @Sendable func decide(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.moderator)
        let caseID = try context.pathID("id")
        let form = context.consoleForm ?? FormQuery(encoded: "")
        let input: DecisionInput
        switch try form.get("outcome") {
        case "violation":
            let action = try form.get("action").flatMap(EnforcementAction.init(rawValue:)) ?? .remove
            let policies = try form.get("policy").map { [$0] } ?? []
            input = DecisionInput(outcome: .violation, policyIDs: policies, action: action, strike: try form.get("strike") == "on",
                                  note: try form.get("note") ?? "")
        case "no_violation":
            input = DecisionInput(outcome: .noViolation, note: try form.get("note") ?? "")
        default:
            throw VigilError.invalidField(field: "outcome", detail: "must be violation or no_violation")
        }
        _ = try await review.decide(caseID: caseID, by: signedIn.moderator, input)
        if try form.get("then") == "next", let claimed = try await review.claimNext(by: signedIn.moderator) {
            return ConsolePages.redirect(to: "/console/cases/\(Self.pathComponent(claimed.id))?done=\(Self.pathComponent(caseID))")
        }
        return ConsolePages.redirect(to: "/console?done=\(Self.pathComponent(caseID))")
    }

    // MARK: Helpers

    /// Bars of a 300×80 chart, one per value, scaled to the largest.
    static func bars(_ values: [(Double, String)]) -> [[String: Any]] {
        let shown = values.suffix(60)
        let top = shown.map(\.0).filter(\.isFinite).max() ?? 0
        guard top > 0 else { return [] }
        let width = 300.0 / Double(max(shown.count, 1))
        return shown.enumerated().map { index, value in
            let height = value.0.isFinite ? max(1, (value.0 / top) * 76) : 0
            return ["x": Rounded.tenth(Double(index) * width + 1), "y": Rounded.tenth(80 - height), "w": Rounded.tenth(max(1, width - 2)),
                    "h": Rounded.tenth(height), "label": value.1]
        }
    }

    static func pathComponent(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? id
    }
}

extension VigilRequestContext {
    /// The signed-in console moderator, if their role is among `roles` (admins always are, unless `adminToo` is false).
    func requireConsole(_ roles: ModeratorRole..., adminToo: Bool = true) throws(VigilError) -> ConsoleSignedIn {
        try requireConsole(roles, adminToo: adminToo)
    }

    func requireConsole(_ roles: [ModeratorRole], adminToo: Bool = true) throws(VigilError) -> ConsoleSignedIn {
        guard let signedIn = console else { throw .unauthenticated(detail: "sign in first") }
        guard (adminToo && signedIn.moderator.role == .admin) || roles.contains(signedIn.moderator.role) else {
            throw .forbiddenRole(role: signedIn.moderator.role.rawValue, allowed: roles.map(\.rawValue))
        }
        return signedIn
    }
}
