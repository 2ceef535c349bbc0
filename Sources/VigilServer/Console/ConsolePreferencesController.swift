import Hummingbird
import VigilCore

/// `/console/preferences`: each moderator's own settings, such as how strongly media is blurred
/// before it is revealed. Every role has one.
struct ConsolePreferencesController {
    let accounts: ConsoleAccounts
    let pages: ConsolePages

    func addRoutes(to router: Router<VigilRequestContext>) {
        let console = router.group("console/preferences").add(middleware: ConsoleMiddleware(accounts: accounts, pages: pages))
        console.get("", use: show)
        console.post("", use: save)
    }

    @Sendable func show(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(ModeratorRole.allCases)
        let saved = try FormQuery(request).get("saved") != nil
        return pages.render("preferences", title: "Preferences", signedIn: signedIn,
                            Self.values(try await accounts.preferences(of: signedIn), saved: saved))
    }

    @Sendable func save(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let signedIn = try context.requireConsole(ModeratorRole.allCases)
        let form = context.consoleForm ?? FormQuery(encoded: "")
        guard let text = try form.get("media_blur"), let level = Int(text), let blur = ConsolePreferences.MediaBlur(rawValue: level) else {
            throw VigilError.invalidField(field: "media_blur", detail: "must be one of the listed blur strengths")
        }
        try await accounts.setPreferences(ConsolePreferences(mediaBlur: blur), of: signedIn)
        return ConsolePages.redirect(to: "/console/preferences?saved=1")
    }

    static func values(_ preferences: ConsolePreferences, saved: Bool) -> [String: Any] {
        [
            "saved": saved,
            "blurs": ConsolePreferences.MediaBlur.allCases.map {
                ["value": $0.rawValue, "label": $0.label, "checked": $0 == preferences.mediaBlur] as [String: Any]
            },
        ]
    }
}
