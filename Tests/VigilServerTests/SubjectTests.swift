import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilTestSupport
@testable import VigilServer

@Suite("Subjects")
struct SubjectTests {
    @Test("register, update, read", arguments: TestDatabase.all)
    func lifecycle(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let created = try await client.json(.put, "/v1/subjects/v1", h, #"{"kind":"video","creator_id":"c1","reach":{"views":5},"title":"Hello"}"#)
            #expect(created.status == .created)
            let updated = try await client.json(.put, "/v1/subjects/v1", h, #"{"kind":"video","creator_id":"c1","reach":{"views":500},"title":"Hello"}"#)
            #expect(updated.status == .ok)
            let shown = try await client.json(.get, "/v1/subjects/v1", h).object()
            #expect(shown["state"] as? String == "visible")
            #expect(shown["kind"] as? String == "video")
            #expect(shown["creator_id"] as? String == "c1")
        }
    }

    @Test("a subject's kind and creator cannot change", arguments: TestDatabase.all)
    func immutableIdentity(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            try await client.register(h, id: "v1")
            let head = try await h.auditHead()
            let kind = try await client.json(.put, "/v1/subjects/v1", h, #"{"kind":"live","creator_id":"creator-1"}"#)
            #expect(kind.status == .conflict)
            #expect(try kind.object()["detail"] as? String ?? "" == "kind: subject 'v1' is registered as video; a subject's kind cannot change")
            let creator = try await client.json(.put, "/v1/subjects/v1", h, #"{"kind":"video","creator_id":"someone"}"#)
            #expect(creator.status == .conflict)
            #expect(try await h.auditHead() == head)
        }
    }

    @Test("an unknown subject is 404", arguments: TestDatabase.all)
    func unknown(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let response = try await client.json(.get, "/v1/subjects/nope", h)
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }
}

@Suite("System endpoints")
struct SystemTests {
    @Test("healthz and readyz answer without a key", arguments: TestDatabase.all)
    func probes(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, _ async throws in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test("the OpenAPI document describes exactly the routes the server has", arguments: TestDatabase.all)
    func openAPICoversRoutes(database: TestDatabase) async throws {
        try await withHarness(database: database) { client, h async throws in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try response.object()
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.keys where ["get", "put", "post", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let routes = Set(try h.app.router().routes.map { route in
                let path = "\(route.path)".split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            }.filter { !$0.contains(" /console") })  // The console's pages are HTML for browsers, not the API.
            #expect(routes == documented)
            #expect(routes.contains("POST /v1/reports"))
        }
    }
}
