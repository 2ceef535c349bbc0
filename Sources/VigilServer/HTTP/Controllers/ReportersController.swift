import Hummingbird
import VigilCore
import VigilStore

/// `GET /v1/reporters/{reporter_id}/reports`: a reporter's own reports and their outcomes.
struct ReportersController {
    let inbox: ReporterInbox

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("reporters/{reporter_id}/reports", use: list)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.reportsRead)
        let reporterID = try context.pathID("reporter_id")
        let query = FormQuery(request)
        var limit = 50
        if let text = try query.get("limit") {
            guard let value = Int(text) else { throw VigilError.invalidField(field: "limit", detail: "must be an integer") }
            limit = value
        }
        let page = try await inbox.reports(reporterID: reporterID, cursor: try query.get("cursor"), limit: limit)
        return try JSONBody.response(ReportListView(
            reports: page.reports.map(ReportListView.Item.init), nextCursor: page.nextCursor))
    }
}
