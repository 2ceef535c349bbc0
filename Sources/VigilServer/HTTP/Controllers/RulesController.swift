import Hummingbird
import VigilCore

/// `GET /v1/mod/rules` (role admin): the detection rules in force, each with its mode and its
/// precision against moderators' decisions.
struct RulesController {
    let rules: RulesReporting

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("rules", use: list)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.admin)
        return try JSONBody.response(RuleSetView(version: rules.ruleSet.version, floor: rules.ruleSet.precisionFloor, reports: try await rules.report()))
    }
}

/// The rule set in force, as `GET /v1/mod/rules` shows it.
struct RuleSetView: Encodable {
    struct Floor: Encodable {
        var floor: Double
        var minDecisions: Int
    }

    struct RuleView: Encodable {
        var id: String
        var title: String
        var policy: String
        var action: String
        var mode: String
        var fileMode: String
        var modeReason: String?
        var modeChangedAt: String?
        var dailyCap: Int?
        var hits: Int
        var actions: Int
        var upheld: Int
        var overturned: Int
        var appealsGranted: Int
        var precision: Double?
        var precisionLow: Double?
        var precisionHigh: Double?

        init(_ report: RuleReport) {
            id = report.rule.id
            title = report.rule.title
            policy = report.rule.policy
            action = report.rule.action.rawValue
            mode = report.mode.rawValue
            fileMode = report.rule.mode.rawValue
            modeReason = report.modeOverride?.reason
            modeChangedAt = report.modeOverride?.changedAt.iso8601
            dailyCap = report.rule.dailyCap
            hits = report.stats.hits
            actions = report.stats.actions
            upheld = report.stats.upheld
            overturned = report.stats.overturned
            appealsGranted = report.stats.appealsGranted
            precision = report.stats.precision
            precisionLow = report.stats.interval?.low
            precisionHigh = report.stats.interval?.high
        }
    }

    var ruleSetVersion: String
    var precisionFloor: Floor
    var rules: [RuleView]

    init(version: String, floor: PrecisionFloor, reports: [RuleReport]) {
        ruleSetVersion = version
        precisionFloor = Floor(floor: floor.floor, minDecisions: floor.minDecisions)
        rules = reports.map(RuleView.init)
    }
}
