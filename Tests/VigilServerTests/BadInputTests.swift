import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer

/// Every kind of bad request gets the right 4xx, a problem+json body naming the problem, and
/// writes nothing.
@Suite("Bad input")
struct BadInputTests {
    enum Auth: Sendable { case full, none, invalid, malformedScheme, readOnly }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: HTTPRequest.Method = .post
        var path: String = "/v1/reports"
        var contentType: String? = "application/json"
        var auth: Auth = .full
        var body: String?
        var status: HTTPResponse.Status
        var field: String?
        var testDescription: String { name }
    }

    static let validReport = #"{"reporter_id":"r1","subject_id":"v1","reason":"spam"}"#

    static let cases: [Case] = [
        Case(name: "malformed JSON", body: #"{"reporter_id": "r1", "#, status: .badRequest),
        Case(name: "not an object", body: #"["r1"]"#, status: .unprocessableContent, field: "body"),
        Case(name: "empty body", body: "", status: .badRequest),
        Case(name: "missing reporter_id", body: #"{"subject_id":"v1","reason":"spam"}"#, status: .unprocessableContent, field: "reporter_id"),
        Case(name: "missing reason", body: #"{"reporter_id":"r1","subject_id":"v1"}"#, status: .unprocessableContent, field: "reason"),
        Case(name: "reporter_id of the wrong type", body: #"{"reporter_id":42,"subject_id":"v1","reason":"spam"}"#, status: .unprocessableContent, field: "reporter_id"),
        Case(name: "null subject_id", body: #"{"reporter_id":"r1","subject_id":null,"reason":"spam"}"#, status: .unprocessableContent, field: "subject_id"),
        Case(name: "account age of the wrong type", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"spam","reporter_account_age_days":"old"}"#, status: .unprocessableContent, field: "reporter_account_age_days"),
        Case(name: "unknown reason", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"rudeness"}"#, status: .unprocessableContent, field: "reason"),
        Case(name: "unknown channel", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"spam","channel":"fax"}"#, status: .unprocessableContent, field: "channel"),
        Case(name: "unknown subject", body: #"{"reporter_id":"r1","subject_id":"never-registered","reason":"spam"}"#, status: .unprocessableContent, field: "subject_id"),
        Case(name: "note over 2,000 characters", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"spam","note":"\#(String(repeating: "x", count: 2_001))"}"#, status: .unprocessableContent, field: "note"),
        Case(name: "notice without its legal fields", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"spam","channel":"illegal_content_notice","notice":{"explanation":"x"}}"#, status: .unprocessableContent, field: "notice.location_url"),
        Case(name: "empty reporter_id", body: #"{"reporter_id":"","subject_id":"v1","reason":"spam"}"#, status: .unprocessableContent, field: "reporter_id"),
        Case(name: "body over 64 KiB", body: #"{"reporter_id":"r1","subject_id":"v1","reason":"spam","note":"\#(String(repeating: "x", count: 70_000))"}"#, status: .contentTooLarge),
        Case(name: "wrong content type", contentType: "text/plain", body: validReport, status: .unsupportedMediaType, field: "Content-Type"),
        Case(name: "no content type", contentType: nil, body: validReport, status: .unsupportedMediaType, field: "Content-Type"),
        Case(name: "missing API key", auth: .none, body: validReport, status: .unauthorized, field: "Authorization"),
        Case(name: "invalid API key", auth: .invalid, body: validReport, status: .unauthorized, field: "Authorization"),
        Case(name: "not a bearer token", auth: .malformedScheme, body: validReport, status: .unauthorized, field: "Authorization"),
        Case(name: "missing scope", auth: .readOnly, body: validReport, status: .forbidden),
        Case(name: "subject: bad kind", method: .put, path: "/v1/subjects/v2", body: #"{"kind":"photo","creator_id":"c"}"#, status: .unprocessableContent, field: "kind"),
        Case(name: "subject: negative views", method: .put, path: "/v1/subjects/v2", body: #"{"kind":"video","creator_id":"c","reach":{"views":-1}}"#, status: .unprocessableContent, field: "reach.views"),
        Case(name: "subject: views of the wrong type", method: .put, path: "/v1/subjects/v2", body: #"{"kind":"video","creator_id":"c","reach":{"views":"many"}}"#, status: .unprocessableContent, field: "reach.views"),
        Case(name: "subject: live viewers on a video", method: .put, path: "/v1/subjects/v2", body: #"{"kind":"video","creator_id":"c","reach":{"live_viewers":3}}"#, status: .unprocessableContent, field: "reach.live_viewers"),
        Case(name: "subject: missing creator", method: .put, path: "/v1/subjects/v2", body: #"{"kind":"video"}"#, status: .unprocessableContent, field: "creator_id"),
        Case(name: "subject: missing scope", method: .put, path: "/v1/subjects/v2", auth: .readOnly, body: #"{"kind":"video","creator_id":"c"}"#, status: .forbidden),
        Case(name: "reporter list: bad limit", method: .get, path: "/v1/reporters/r1/reports?limit=0", contentType: nil, status: .unprocessableContent, field: "limit"),
        Case(name: "reporter list: limit not a number", method: .get, path: "/v1/reporters/r1/reports?limit=ten", contentType: nil, status: .unprocessableContent, field: "limit"),
        Case(name: "unknown endpoint", method: .get, path: "/v1/nothing-here", contentType: nil, status: .notFound),
    ]

    @Test("refused with a problem body, nothing written", arguments: TestDatabase.all, cases)
    func refused(database: TestDatabase, _ c: Case) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let readOnly = try await h.key(scopes: [.subjectsRead, .reportsRead])
            let reportsBefore = try await h.reportCount()
            let headBefore = try await h.auditHead()

            var headers: HTTPFields = [:]
            switch c.auth {
            case .full: headers[.authorization] = "Bearer \(h.token)"
            case .none: break
            case .invalid: headers[.authorization] = "Bearer vgl_000000000000_\(String(repeating: "0", count: 64))"
            case .malformedScheme: headers[.authorization] = "Basic dXNlcjpwYXNz"
            case .readOnly: headers[.authorization] = "Bearer \(readOnly)"
            }
            if let contentType = c.contentType { headers[.contentType] = contentType }
            let response = try await client.execute(uri: c.path, method: c.method, headers: headers, body: c.body.map { ByteBuffer(string: $0) })

            #expect(response.status == c.status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try response.object()
            #expect(problem["status"] as? Int == Int(c.status.code))
            #expect((problem["title"] as? String)?.isEmpty == false)
            #expect((problem["detail"] as? String)?.isEmpty == false)
            #expect(problem["field"] as? String == c.field)
            #expect(try await h.reportCount() == reportsBefore)
            #expect(try await h.auditHead() == headBefore)
        }
    }
}
