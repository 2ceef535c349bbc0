import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import VigilServer
import VigilCore

/// Bad input on the notice, feed and appeal endpoints: a problem naming the field, nothing written.
@Suite("Bad input on notices, the feed and appeals")
struct MoreBadInputTests {
    enum Caller: Sendable { case platform, platformWithoutScope, appealsModerator }

    @Test("refused with a problem body", arguments: [
        (Caller.platform, HTTPRequest.Method.get, "/v1/creators/c/notices?limit=0", nil as String?, HTTPResponse.Status.unprocessableContent, "limit" as String?),
        (.platform, .get, "/v1/reporters/r/notices?limit=abc", nil, .unprocessableContent, "limit"),
        (.platform, .get, "/v1/enforcement-events?after=-1", nil, .unprocessableContent, "after"),
        (.platform, .get, "/v1/enforcement-events?after=abc", nil, .unprocessableContent, "after"),
        (.platform, .get, "/v1/enforcement-events?limit=5000", nil, .unprocessableContent, "limit"),
        (.platformWithoutScope, .post, "/v1/appeals", #"{"decision_id":"d","creator_id":"c","statement":"s"}"#, .forbidden, nil),
        (.platformWithoutScope, .get, "/v1/enforcement-events", nil, .forbidden, nil),
        (.appealsModerator, .get, "/v1/mod/appeals?limit=0", nil, .unprocessableContent, "limit"),
        (.appealsModerator, .get, "/v1/mod/appeals?cursor=not-a-cursor", nil, .unprocessableContent, "cursor"),
        (.appealsModerator, .post, "/v1/mod/appeals/apl_x/decision", #"{"outcome":"maybe","note":"n"}"#, .unprocessableContent, "outcome"),
        (.appealsModerator, .post, "/v1/mod/appeals/apl_x/decision", #"{"outcome":"granted"}"#, .unprocessableContent, "note"),
        (.appealsModerator, .post, "/v1/mod/appeals/apl_x/decision", #"{"outcome":"granted","note":"n"}"#, .notFound, nil),
        (.appealsModerator, .post, "/v1/mod/appeals/apl_x/claim", nil, .notFound, nil),
    ] as [(Caller, HTTPRequest.Method, String, String?, HTTPResponse.Status, String?)])
    func refused(caller: Caller, method: HTTPRequest.Method, path: String, body: String?, status: HTTPResponse.Status, field: String?) async throws {
        try await withHarness(database: .sqlite) { client, h async throws in
            let token: String = switch caller {
            case .platform: h.token
            case .platformWithoutScope: try await h.key(scopes: [.subjectsRead])
            case .appealsModerator: try await h.moderator("ana", role: .appeals)
            }
            let head = try await h.auditHead()
            var headers: HTTPFields = [.authorization: "Bearer \(token)"]
            if body != nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            #expect(response.status == status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try response.object()["field"] as? String == field)
            #expect(try await h.auditHead() == head)
        }
    }
}
