import Foundation
import HTTPTypes
import Hummingbird
import VigilCore

/// Guards every console route: resolves the session cookie (pages other than sign-in, enrolment
/// and the static files need one, else the browser is sent to sign in), reads form bodies (bounded)
/// and refuses a state-changing request from another origin or without the session's CSRF token,
/// and draws errors as pages rather than problem+json.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let accounts: ConsoleAccounts
    let pages: ConsolePages

    static let formLimit = 16 * 1024
    /// Sent by a page's background refresh (console.js), which is not the moderator's activity.
    static let refreshHeader = HTTPField.Name("X-Vigil-Refresh")!
    /// Routes open without a session (paths below `/console/`).
    static func isPublic(_ path: String) -> Bool {
        path == "/console/signin" || path.hasPrefix("/console/enrol/") || path.hasPrefix("/console/static/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do {
            let path = request.uri.path
            let cookie = request.cookies[ConsoleAccounts.cookieName]?.value
            // A cookie whose session no longer holds: the sign-in page says the session ended.
            let signInPath = cookie == nil ? "/console/signin" : "/console/signin?ended=1"
            if let cookie {
                context.console = try await accounts.session(cookie: cookie, activity: request.headers[Self.refreshHeader] == nil)
            }
            if request.method == .post {
                guard Self.sameOrigin(request) else {
                    throw VigilError.forbidden(detail: "this form was sent from another site")
                }
                let body = try await request.body.collect(upTo: Self.formLimit)
                let form = FormQuery(encoded: String(buffer: body))
                if !Self.isPublic(path) {
                    guard let signedIn = context.console else { return ConsolePages.redirect(to: signInPath) }
                    guard let sent = try form.get("csrf"), SecretToken.constantTimeEqual(sent, signedIn.csrfToken) else {
                        throw VigilError.forbidden(detail: "the form's security token is missing or stale: reload the page and try again")
                    }
                }
                context.consoleForm = form
            } else if !Self.isPublic(path), context.console == nil {
                return ConsolePages.redirect(to: signInPath)
            }
            return try await next(request, context)
        } catch let error as VigilError {
            return page(for: error, context: context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return page(for: .payloadTooLarge(limitBytes: Self.formLimit), context: context)
        }
    }

    /// A POST's `Origin` (or, without one, `Sec-Fetch-Site`) must be this site. A request with
    /// neither comes from no browser, so no other site made it.
    static func sameOrigin(_ request: Request) -> Bool {
        // "null" is what a browser sends when it withholds the origin: fall back on Sec-Fetch-Site.
        if let origin = request.headers[.origin], origin != "null" {
            guard let host = request.head.authority else { return false }
            return origin == "http://\(host)" || origin == "https://\(host)"
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] { return site == "same-origin" || site == "none" }
        return true
    }

    private func page(for error: VigilError, context: Context) -> Response {
        let problem = ProblemResponse(error)
        return pages.render("error", title: problem.problem.title, signedIn: context.console, [
            "title": problem.problem.title, "detail": problem.problem.detail, "status": Int(problem.status.code),
        ], status: problem.status)
    }
}
