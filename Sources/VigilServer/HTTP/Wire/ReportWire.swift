import Foundation
import VigilCore
import VigilStore

// Request and response bodies of the report endpoints. Decoded and encoded one way: ``JSONBody``.

/// The JSON body of `POST /v1/reports`.
struct ReportBody: RequestBody {
    static let fields: Set<String> = [
        "reporter_id", "subject_id", "reason", "note", "channel", "reporter_account_age_days", "notice", "notice.explanation",
        "notice.location_url", "notice.legal_ground", "notice.notifier_name", "notice.notifier_email",
    ]

    var reporterID: String
    var subjectID: String
    var reason: String
    var note: String?
    var channel: String?
    var reporterAccountAgeDays: Int?
    var notice: NoticeBody?

    enum CodingKeys: String, CodingKey {
        case reporterID = "reporter_id"
        case subjectID = "subject_id"
        case reason, note, channel, notice
        case reporterAccountAgeDays = "reporter_account_age_days"
    }

    struct NoticeBody: Decodable {
        var explanation: String
        var locationURL: String
        var legalGround: String?
        var notifierName: String
        var notifierEmail: String

        enum CodingKeys: String, CodingKey {
            case explanation
            case locationURL = "location_url"
            case legalGround = "legal_ground"
            case notifierName = "notifier_name"
            case notifierEmail = "notifier_email"
        }
    }

    func submission() throws(VigilError) -> ReportSubmission {
        let channel: ReportChannel
        if let name = self.channel {
            guard let parsed = ReportChannel(rawValue: name) else {
                throw .invalidField(field: "channel", detail: "must be one of: \(ReportChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            channel = parsed
        } else {
            channel = .userReport
        }
        return ReportSubmission(
            reporterID: reporterID, subjectID: subjectID, reason: reason, note: note, channel: channel,
            reporterAccountAgeDays: reporterAccountAgeDays,
            notice: notice.map {
                IllegalContentNotice(explanation: $0.explanation, locationURL: $0.locationURL, legalGround: $0.legalGround,
                                     notifierName: $0.notifierName, notifierEmail: $0.notifierEmail)
            })
    }
}

struct ReportListView: Encodable {
    struct Item: Encodable {
        var reportID: String
        var subjectID: String
        var reason: String
        var channel: String
        var status: String
        var receivedAt: String

        enum CodingKeys: String, CodingKey {
            case reason, channel, status
            case reportID = "report_id"
            case subjectID = "subject_id"
            case receivedAt = "received_at"
        }

        init(_ listing: ReporterReportListing) {
            reportID = listing.reportID
            subjectID = listing.subjectID
            reason = listing.reason
            channel = listing.channel.rawValue
            status = listing.status.rawValue
            receivedAt = listing.receivedAt.iso8601
        }
    }

    var reports: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case reports
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reports, forKey: .reports)
        try container.encode(nextCursor, forKey: .nextCursor)  // explicit null: "no more pages"
    }
}
