import Foundation
import HummingbirdTesting
import Testing

/// The API's response bodies as a client reads them, so tests assert on typed fields instead of
/// digging through dictionaries. Decoded from snake_case, as any client would.
enum API {
    struct Problem: Decodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var field: String?
    }

    struct Subject: Decodable {
        struct Restriction: Decodable {
            var state: String
            var ground: String?
            var groundTitle: String?
            var since: String
        }

        var id: String
        var kind: String
        var creatorId: String
        var state: String
        var title: String?
        var restriction: Restriction?
    }

    struct Receipt: Decodable {
        var reportId: String
        var status: String
        var counted: Bool
    }

    struct ReportList: Decodable {
        struct Item: Decodable {
            var reportId: String
            var subjectId: String
            var reason: String
            var channel: String
            var status: String
            var receivedAt: String
        }

        var reports: [Item]
        var nextCursor: String?
    }

    struct NoticeList: Decodable {
        struct Notice: Decodable {
            var noticeId: String
            var kind: String
            var subjectId: String?
            var decisionId: String?
            var createdAt: String
            var content: Content
        }

        /// A statement of reasons, or a message: the fields of both, as the kind has them.
        struct Content: Decodable {
            struct Restriction: Decodable {
                var type: String
                var endsAt: String?
            }

            struct Ground: Decodable {
                var policyId: String
            }

            var restriction: Restriction?
            var grounds: [Ground]?
            var automatedDecision: Bool?
            var automatedDetection: Bool?
            var appealableDecisionId: String?
            var appealDeadline: String?
            var message: String?
            var measureId: String?
        }

        var notices: [Notice]
        var nextCursor: String?
    }

    struct Queue: Decodable {
        struct Item: Decodable {
            var caseId: String
            var subjectId: String
            var kind: String
            var category: String
            var severity: String
            var subjectState: String
            var overdue: Bool
            var priority: Double
            var claimed: Bool
        }

        var cases: [Item]
        var asOf: String
        var nextCursor: String?
    }

    struct Claim: Decodable {
        var caseId: String
        var subjectId: String
        var heldBy: String
        var expiresAt: String?
    }

    struct Decision: Decodable {
        var decisionId: String
        var caseId: String
        var subjectId: String
        var outcome: String
        var policyIds: [String]
        var action: String?
        var strike: Bool
        var resultingState: String
    }

    struct Feed: Decodable {
        struct Event: Decodable {
            var eventId: String
            var type: String
            var subjectId: String?
            var occurredAt: String
            var data: Data
        }

        struct Data: Decodable {
            var from: String?
            var to: String?
            var ground: String?
            var cause: String?
            var action: String?
            var activeStrikes: Int?
        }

        var events: [Event]
        var nextCursor: String
    }

    struct Appeal: Decodable {
        var appealId: String
        var decisionId: String?
        var measureId: String?
        var appellantType: String
        var creatorId: String?
        var statement: String?
        var status: String
        var filedAt: String
        var outcomeNote: String?
    }
}

extension TestResponse {
    /// The body as `T`, or a recorded issue naming the body that did not decode.
    func decode<T: Decodable>(_ type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Foundation.Data(body.readableBytesView))
        } catch {
            Issue.record("body does not decode as \(T.self): \(error)\n\(String(buffer: body))", sourceLocation: sourceLocation)
            throw error
        }
    }
}
