import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// The console's admin desk (role `admin`): moderators (add, change role, disable, a new
/// enrolment link), API keys (create with scopes, revoke; a secret is shown once), and the policy
/// and rule versions in force. The same services as the command line, each act an audit event.
struct ConsoleAdminController {
    let accounts: ConsoleAccounts
    let moderators: ModeratorAccess
    let keys: AccessKeys
    let policy: Policy
    let ruleSet: RuleSet
    let pages: ConsolePages

    func addRoutes(to router: Router<VigilRequestContext>) {
        let console = router.group("console/admin").add(middleware: ConsoleMiddleware(accounts: accounts, pages: pages))
        console.get("", use: overview)
        console.post("moderators", use: addModerator)
        console.post("moderators/{name}/role", use: changeRole)
        console.post("moderators/{name}/disable", use: disable)
        console.post("moderators/{name}/enrolment", use: newEnrolment)
        console.post("keys", use: createKey)
        console.post("keys/{id}/revoke", use: revokeKey)
    }

    @Sendable func overview(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        return pages.render("admin", title: "Admin", signedIn: signedIn, try await values())
    }

    private func values(_ extra: [String: Any] = [:]) async throws -> [String: Any] {
        let moderatorList = try await moderators.list()
        let keyList = try await keys.list()
        var values: [String: Any] = [
            "moderators": moderatorList.map { moderator in
                ["name": moderator.name, "path": ConsoleController.pathComponent(moderator.name), "id": moderator.id, "role": moderator.role.rawValue,
                 "disabled": moderator.disabled,
                 "roles": ModeratorRole.allCases.map { ["id": $0.rawValue, "selected": $0 == moderator.role] }] as [String: Any]
            },
            "keys": keyList.map { key in
                ["id": key.id, "label": key.label ?? "", "scopes": key.scopes.joined(separator: " "), "created_at": key.createdAt.iso8601,
                 "revoked": key.revokedAt != nil] as [String: Any]
            },
            "all_roles": ModeratorRole.allCases.map(\.rawValue),
            "all_scopes": Scope.allCases.map(\.rawValue),
            "policy_version": policy.version,
            "categories": policy.categoryIDs.count,
            "rule_set_version": ruleSet.version,
            "rules": ruleSet.rules.map { ["id": $0.id, "mode": $0.mode.rawValue] },
        ]
        values.merge(extra) { _, new in new }
        return values
    }

    /// Acts, then draws the page again with what happened (and any secret, once).
    private func done(_ context: VigilRequestContext, _ signedIn: ConsoleSignedIn, _ act: () async throws -> [String: Any]) async throws -> Response {
        do {
            let shown = try await act()
            return pages.render("admin", title: "Admin", signedIn: signedIn, try await values(shown))
        } catch let error as VigilError {
            switch error {
            case .invalidField, .conflict, .notFound:
                return pages.render("admin", title: "Admin", signedIn: signedIn, try await values(["error": ProblemResponse(error).problem.detail]),
                                    status: ProblemResponse(error).status)
            default: throw error
            }
        }
    }

    @Sendable func addModerator(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let form = context.consoleForm ?? FormQuery(encoded: "")
        return try await done(context, signedIn) {
            let name = try form.get("name") ?? ""
            let added = try await moderators.add(name: name, role: try form.get("role") ?? "")
            let enrolment = try await accounts.issueEnrolment(name: name)
            return ["flash": "Moderator \(name) added. Give them these once; they are not shown again.",
                    "secret_token": added.token, "enrolment": "/console/enrol/\(enrolment.token)"]
        }
    }

    @Sendable func changeRole(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let name = try context.pathID("name")
        let form = context.consoleForm ?? FormQuery(encoded: "")
        return try await done(context, signedIn) {
            try await moderators.setRole(name: name, role: try form.get("role") ?? "")
            return ["flash": "\(name) now has the role \(try form.get("role") ?? "")."]
        }
    }

    @Sendable func disable(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let name = try context.pathID("name")
        return try await done(context, signedIn) {
            try await moderators.disable(name: name)
            return ["flash": "\(name) is disabled: their token and console sessions stop working."]
        }
    }

    @Sendable func newEnrolment(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let name = try context.pathID("name")
        return try await done(context, signedIn) {
            let enrolment = try await accounts.issueEnrolment(name: name)
            return ["flash": "A new enrolment link for \(name): their sessions and older links ended. It is shown once.",
                    "enrolment": "/console/enrol/\(enrolment.token)"]
        }
    }

    @Sendable func createKey(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let form = context.consoleForm ?? FormQuery(encoded: "")
        return try await done(context, signedIn) {
            let scopes = try Scope.allCases.map(\.rawValue).filter { try form.get("scope.\($0)") == "on" }
            let label = try form.get("label").flatMap { $0.isEmpty ? nil : $0 }
            if let label { try Validate.text(label, field: "label", max: 200) }
            let key = try await keys.create(scopes: scopes, label: label)
            return ["flash": "Key \(key.id) created with \(key.scopes.joined(separator: " ")). The secret is shown once.", "secret_token": key.token]
        }
    }

    @Sendable func revokeKey(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(.admin)
        let id = try context.pathID("id")
        return try await done(context, signedIn) {
            try await keys.revoke(id: id)
            return ["flash": "Key \(id) is revoked."]
        }
    }
}
