import Foundation
import VigilCore
import VigilStore

// Request and response bodies of the appeal endpoints. Decoded and encoded one way: ``JSONBody``.

struct AppealBody: RequestBody {
    static let fields: Set<String> = ["decision_id", "measure_id", "report_id", "creator_id", "reporter_id", "statement"]

    var decisionID: String?
    var measureID: String?
    var reportID: String?
    var creatorID: String?
    var reporterID: String?
    var statement: String

    enum CodingKeys: String, CodingKey {
        case statement
        case decisionID = "decision_id"
        case measureID = "measure_id"
        case reportID = "report_id"
        case creatorID = "creator_id"
        case reporterID = "reporter_id"
    }
}

struct AppealDecisionBody: RequestBody {
    static let fields: Set<String> = ["outcome", "note"]

    var outcome: String
    var note: String
}

/// A page of the appeals queue; `next_cursor` is null on the last page.
struct AppealPageView: Encodable {
    var appeals: [AppealView]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case appeals, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(appeals, forKey: .appeals)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// An appeal as shown. A reporter appellant appears only as "reporter": never their id or hash.
struct AppealView: Encodable {
    var appealId: String
    var decisionId: String?
    var measureId: String?
    var appellantType: String
    var creatorId: String?
    var statement: String?
    var status: String
    var filedAt: String
    var decidedAt: String?
    var outcomeNote: String?

    init(_ appeal: AppealRecord, showAppellant: Bool) {
        appealId = appeal.id
        decisionId = appeal.decisionID
        measureId = appeal.measureID
        appellantType = appeal.appellantType.rawValue
        creatorId = appeal.appellantType == .creator ? appeal.appellant : nil
        statement = showAppellant ? appeal.statement : nil
        status = appeal.status.rawValue
        filedAt = appeal.filedAt.iso8601
        decidedAt = appeal.decidedAt?.iso8601
        outcomeNote = appeal.outcomeNote
    }
}
