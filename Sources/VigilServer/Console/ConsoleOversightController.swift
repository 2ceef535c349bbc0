import Foundation
import HTTPTypes
import Hummingbird
import VigilCore
import VigilStore

/// The console's other desks: appeals (decided by another moderator, as the API enforces), the
/// privacy officer's unseal, and the audit log.
struct ConsoleOversightController {
    let accounts: ConsoleAccounts
    let appeals: AppealsWorkflow
    let privacy: PrivacyWorkflow
    let audit: AuditLogBrowsing
    let pages: ConsolePages
    let dashboard: ConsoleDashboard
    let clock: VigilClock

    func addRoutes(to router: Router<VigilRequestContext>) {
        let console = router.group("console").add(middleware: ConsoleMiddleware(accounts: accounts, pages: pages))
        console.get("appeals", use: appealQueue)
        console.get("appeals/{id}", use: showAppeal)
        console.post("appeals/{id}/claim", use: claimAppeal)
        console.post("appeals/{id}/decision", use: decideAppeal)
        console.get("unseal", use: unsealForm)
        console.post("unseal", use: unseal)
        console.get("audit", use: auditLog)
        console.get("dashboard", use: showDashboard)
    }

    // MARK: Appeals

    @Sendable func appealQueue(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.appeals)
        let cursor = try FormQuery(request).get("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let page = try await appeals.queue(cursor: cursor, limit: 50)
        var values = try TemplateValues.from(AppealPageView(appeals: page.appeals.map { AppealView($0, showAppellant: true) }, nextCursor: page.nextCursor))
            as? [String: Any] ?? [:]
        values["empty"] = page.appeals.isEmpty
        return pages.render("appeals", title: "Appeals", signedIn: signedIn, values)
    }

    @Sendable func showAppeal(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.appeals)
        let appealID = try context.pathID("id")
        let overview = try await appeals.overview(appealID: appealID)
        var values: [String: Any] = ["appeal": try TemplateValues.from(AppealView(overview.appeal, showAppellant: true))]
        if let decision = overview.decision { values["decision"] = try TemplateValues.from(DecisionView(decision)) }
        let now = clock.now()
        let holds = overview.appeal.holder(at: now) == signedIn.moderator.id
        values["open"] = overview.appeal.status == .open
        values["holds"] = holds && overview.appeal.status == .open
        values["may_claim"] = overview.appeal.status == .open && !holds
        values["appeal_path"] = ConsoleController.pathComponent(appealID)
        return pages.render("appeal", title: "Appeal \(appealID)", signedIn: signedIn, values)
    }

    @Sendable func claimAppeal(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.appeals)
        let appealID = try context.pathID("id")
        _ = try await appeals.claim(appealID: appealID, by: signedIn.moderator)
        return ConsolePages.redirect(to: "/console/appeals/\(ConsoleController.pathComponent(appealID))")
    }

    @Sendable func decideAppeal(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.appeals)
        let appealID = try context.pathID("id")
        let form = context.consoleForm ?? FormQuery(encoded: "")
        guard let outcome = try form.get("outcome").flatMap(AppealOutcome.init(rawValue:)) else {
            throw VigilError.invalidField(field: "outcome", detail: "must be one of: granted, denied")
        }
        _ = try await appeals.decide(appealID: appealID, by: signedIn.moderator, outcome: outcome, note: try form.get("note") ?? "")
        return ConsolePages.redirect(to: "/console/appeals/\(ConsoleController.pathComponent(appealID))")
    }

    // MARK: Unseal

    @Sendable func unsealForm(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.privacyOfficer, adminToo: false)
        return pages.render("unseal", title: "Unseal a reporter", signedIn: signedIn, try await unsealLog())
    }

    @Sendable func unseal(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.privacyOfficer, adminToo: false)
        let form = context.consoleForm ?? FormQuery(encoded: "")
        let reportID = (try form.get("report_id") ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let reporter = try await privacy.unseal(
                reportID: reportID, reason: try form.get("reason") ?? "", legalReference: try form.get("legal_reference") ?? "", by: signedIn.moderator)
            var values = try await unsealLog()
            values["revealed"] = ["report_id": reportID, "reporter_id": reporter]
            return pages.render("unseal", title: "Unseal a reporter", signedIn: signedIn, values)
        } catch let error as VigilError {
            guard case .invalidField = error else { throw error }
            var values = try await unsealLog()
            values["error"] = ProblemResponse(error).problem.detail
            values["report_id"] = reportID
            return pages.render("unseal", title: "Unseal a reporter", signedIn: signedIn, values, status: .unprocessableContent)
        }
    }

    private func unsealLog() async throws -> [String: Any] {
        ["unseals": try await privacy.unseals(limit: 100).map { entry in
            ["at": entry.at.iso8601, "officer": entry.officer, "report_id": entry.event.reportId, "reason": entry.event.reason,
             "legal_reference": entry.event.legalReference]
        }]
    }

    // MARK: Dashboard

    @Sendable func showDashboard(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.triage, .moderator, .appeals)
        let chosen = try FormQuery(request).get("period").flatMap { $0.isEmpty ? nil : $0 }
        guard let period = chosen.map(DashboardPeriod.init(rawValue:)) ?? .day else {
            throw VigilError.invalidField(field: "period", detail: "must be one of: \(DashboardPeriod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return pages.render("dashboard", title: "Dashboard", signedIn: signedIn, try await dashboard.values(period: period))
    }

    // MARK: Audit log

    @Sendable func auditLog(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.privacyOfficer)
        let query = FormQuery(request)
        var filter = AuditLogBrowsing.Filter()
        var values: [String: Any] = [:]
        if let type = try query.get("type"), !type.isEmpty {
            guard let parsed = AuditEventType(rawValue: type) else { throw VigilError.invalidField(field: "type", detail: "is not an event type") }
            filter.type = parsed
        }
        if let subject = try query.get("subject"), !subject.isEmpty { filter.subjectID = subject; values["subject"] = subject }
        if let name = try query.get("moderator"), !name.isEmpty { filter.moderatorName = name; values["moderator"] = name }
        if let before = try query.get("before"), !before.isEmpty {
            guard let seq = Int64(before), seq > 0 else { throw VigilError.invalidField(field: "before", detail: "must be a positive event number") }
            filter.beforeSeq = seq
        }
        let events = try await audit.page(filter, limit: 100)
        values["events"] = events.map { event in
            ["seq": event.seq, "type": event.type, "subject": event.subjectID ?? "", "at": event.occurredAt.iso8601, "payload": event.payload] as [String: Any]
        }
        values["types"] = AuditEventType.allCases.map { ["id": $0.rawValue, "selected": $0 == filter.type] }
        if events.count == 100, let last = events.last {
            var next = URLComponents()
            next.queryItems = [("type", filter.type?.rawValue), ("subject", filter.subjectID), ("moderator", filter.moderatorName), ("before", String(last.seq))]
                .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
            values["older"] = "/console/audit?" + (next.percentEncodedQuery ?? "")
        }
        if try query.get("verify") == "1" {
            switch try await audit.verify() {
            case .intact(let count): values["verified"] = "Intact: \(count) events, every link and the head check out."
            case .broken(let failure): values["broken"] = "Broken: \(failure)"
            }
        }
        return pages.render("audit", title: "Audit log", signedIn: signedIn, values)
    }
}
