import Foundation
import SQLKit
import Testing
import VigilServer
@testable import VigilStore
import VigilCore

/// The `vigil` executable, run as an operator would run it.
@Suite("vigil command line", .serialized)
struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    static var binary: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/vigil")
    }

    /// Runs the binary with `posix_spawn` (``Subprocess``): Foundation's `Process.run()` crashes
    /// now and then on Linux, and did in CI.
    /// Async, and run on a thread of its own: a test blocking one of the few cooperative threads
    /// while the binary runs would stall every other test's tasks (and their database timeouts).
    func vigil(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") }
        env.merge(environment) { $1 }
        let result: Subprocess.Output = try await Subprocess.run(Self.binary.path, arguments, environment: env, timeout: 300)
        return Run(status: result.signalled ? 128 + result.status : result.status,
                   output: String(decoding: result.stdout, as: UTF8.self), error: String(decoding: result.stderr, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("keys create prints a key once; the key file is 0600; the database holds only the key's hash")
    func keysCreate() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await vigil(["keys", "create", "--scope", "reports:write", "--scope", "subjects:read", "--data-dir", dir.path])
        #expect(run.status == 0, "\(run.error)")
        let token = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("vgl_"))
        let secret = try #require(token.split(separator: "_").last)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("vigil.keys").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasPrefix("vigil.sqlite") {
            bytes += try Data(contentsOf: dir.appendingPathComponent(file))
        }
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data(secret.utf8)) == nil)

        let refused = try await vigil(["keys", "create", "--scope", "everything", "--data-dir", dir.path])
        #expect(refused.status != 0)
        #expect(refused.error.contains("'everything' is not a scope"))
    }

    @Test("audit verify passes an untouched log and fails a tampered copy", arguments: [
        ("UPDATE audit_events SET payload = '{}' WHERE seq = 2", "event 2 was altered"),
        ("DELETE FROM audit_events WHERE seq = 2", "event 2 is missing"),
        ("DELETE FROM audit_events WHERE seq = 3", "the chain head records event 3"),
    ])
    func auditVerify(statement: String, expected: String) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for scope in ["reports:write", "subjects:read", "subjects:write"] {
            #expect(try await vigil(["keys", "create", "--scope", scope, "--data-dir", dir.path]).status == 0)
        }
        let ok = try await vigil(["audit", "verify", "--data-dir", dir.path])
        #expect(ok.status == 0)
        #expect(ok.output.contains("OK: 3 events"))

        // Tamper with a copy, as someone with the file would: drop the guards, then edit.
        let copy = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(file), to: copy.appendingPathComponent(file))
        }
        let store = try await Store.openSQLite(path: copy.appendingPathComponent("vigil.sqlite").path)
        try await store.withRunning {
            try await store.writeRaw { sql in
                try await sql.raw("DROP TRIGGER audit_events_no_update").run()
                try await sql.raw("DROP TRIGGER audit_events_no_delete").run()
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }

        let broken = try await vigil(["audit", "verify", "--data-dir", copy.path])
        #expect(broken.status == 1)
        #expect(broken.output.contains("BROKEN: \(expected)"), "\(broken.output)")
        #expect(try await vigil(["audit", "verify", "--data-dir", dir.path]).status == 0, "the original is untouched")
    }

    @Test("audit verify refuses a directory with no database")
    func verifyMissing() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await vigil(["audit", "verify", "--data-dir", dir.appendingPathComponent("none").path])
        #expect(run.status != 0)
        #expect(run.error.contains("no Vigil database"))
    }

    @Test("serve refuses an invalid policy file and lists every problem")
    func invalidPolicy() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yaml")
        try """
            version: "bad-1"
            categories:
              spam:
                severity: trivial
                thresholds: {video: 10, live: -1, comment: 8}
                review_deadline_hours: 72
                dsa_category: STATEMENT_CATEGORY_SCAMS_AND_FRAUD
              hate:
                severity: high
                thresholds: {video: 3, live: 2, comment: 3, account: 5}
                review_deadline_hours: 12
                dsa_category: NOT_A_CATEGORY
                colour: red
            """.write(to: policy, atomically: true, encoding: .utf8)
        let run = try await vigil(["serve", "--policy", policy.path, "--data-dir", dir.appendingPathComponent("data").path, "--port", "0"])
        #expect(run.status != 0)
        for problem in [
            "categories.spam.severity: must be one of",
            "categories.spam.thresholds.live: must be a positive number",
            "categories.spam.thresholds.account: missing",
            "categories.hate.dsa_category: 'NOT_A_CATEGORY'",
            "categories.hate.colour: unknown setting",
        ] {
            #expect(run.error.contains(problem), "missing: \(problem)\n\(run.error)")
        }
    }

    @Test("serve refuses bad configuration and lists every problem")
    func invalidConfiguration() async throws {
        let run = try await vigil(["serve", "--database", "mysql://db/vigil"], environment: [
            "VIGIL_PORT": "eighty", "VIGIL_LOG_LEVEL": "loud", "VIGIL_LOOKUP_KEY": "c2hvcnQ=",
            "VIGIL_DATABASE_POOL_SIZE": "0", "VIGIL_DATABASE_TIMEOUT_SECONDS": "soon",
        ])
        #expect(run.status != 0)
        for problem in [
            "VIGIL_PORT): 'eighty' is not a number", "'loud' is not one of", "give both or neither", "VIGIL_LOOKUP_KEY: must be 32 bytes",
            "database (--database / VIGIL_DATABASE_URL): must be a postgres:// URL", "VIGIL_DATABASE_POOL_SIZE: '0'",
            "VIGIL_DATABASE_TIMEOUT_SECONDS: 'soon'",
        ] {
            #expect(run.error.contains(problem), "missing: \(problem)\n\(run.error)")
        }
        // A PostgreSQL URL's TLS settings are checked with the rest, before anything is opened.
        let tls = try await vigil(["serve", "--database", "postgres://vigil@db/vigil?sslmode=sometimes"], environment: ["VIGIL_PORT": "eighty"])
        #expect(tls.status != 0)
        for problem in ["database (--database / VIGIL_DATABASE_URL): sslmode must be one of", "VIGIL_PORT): 'eighty' is not a number"] {
            #expect(tls.error.contains(problem), "missing: \(problem)\n\(tls.error)")
        }
    }

    @Test("moderators add prints a token once; names are unique; roles are checked")
    func moderatorsAdd() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await vigil(["moderators", "add", "Mona", "--role", "moderator", "--data-dir", dir.path])
        #expect(run.status == 0, "\(run.error)")
        let token = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("vmod_"))
        let secret = try #require(token.split(separator: "_").last)
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasPrefix("vigil.sqlite") {
            bytes += try Data(contentsOf: dir.appendingPathComponent(file))
        }
        #expect(bytes.range(of: Data(secret.utf8)) == nil, "only the token's hash is stored")
        let twice = try await vigil(["moderators", "add", "Mona", "--role", "admin", "--data-dir", dir.path])
        #expect(twice.status != 0)
        #expect(twice.error.contains("exists already"))
        let badRole = try await vigil(["moderators", "add", "Max", "--role", "boss", "--data-dir", dir.path])
        #expect(badRole.status != 0)
        #expect(badRole.error.contains("'boss' is not a role"))
    }

    @Test("keys list shows ids and scopes but no secret; keys revoke ends a key, once, as an audit event")
    func keysListRevoke() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = try await vigil(["keys", "create", "--scope", "reports:write", "--label", "intake", "--data-dir", dir.path]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = token.split(separator: "_")
        let id = String(parts[1])
        let listed = try await vigil(["keys", "list", "--data-dir", dir.path])
        #expect(listed.status == 0)
        #expect(listed.output.contains(id) && listed.output.contains("active") && listed.output.contains("reports:write") && listed.output.contains("intake"))
        #expect(!listed.output.contains(String(parts[2])), "no secret in the listing")
        let revoked = try await vigil(["keys", "revoke", id, "--data-dir", dir.path])
        #expect(revoked.status == 0, "\(revoked.error)")
        #expect(try await vigil(["keys", "list", "--data-dir", dir.path]).output.contains("revoked"))
        let again = try await vigil(["keys", "revoke", id, "--data-dir", dir.path])
        #expect(again.status != 0)
        #expect(again.error.contains(id))
        #expect(try await vigil(["keys", "revoke", "nosuchkey", "--data-dir", dir.path]).status != 0)
        let audit = try await vigil(["audit", "verify", "--data-dir", dir.path])
        #expect(audit.output.contains("OK: 2 events"), "created and revoked: \(audit.output)")
    }

    @Test("moderators list shows names and roles; moderators disable ends a moderator's token, as an audit event")
    func moderatorsListDisable() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = try await vigil(["moderators", "add", "Mona", "--role", "appeals", "--data-dir", dir.path]).output
        _ = try await vigil(["moderators", "add", "Ana", "--role", "admin", "--data-dir", dir.path])
        let listed = try await vigil(["moderators", "list", "--data-dir", dir.path])
        #expect(listed.status == 0)
        let lines = listed.output.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("Ana\t") && lines[1].hasPrefix("Mona\t"), "\(listed.output)")
        #expect(lines[1].contains("appeals") && lines[1].hasSuffix("active"))
        #expect(!listed.output.contains(String(token.split(separator: "_").last ?? "")))
        let promoted = try await vigil(["moderators", "role", "Mona", "moderator", "--data-dir", dir.path])
        #expect(promoted.status == 0, "\(promoted.error)")
        #expect(try await vigil(["moderators", "list", "--data-dir", dir.path]).output.split(separator: "\n")[1].contains("\tmoderator\t"))
        #expect(try await vigil(["moderators", "role", "Mona", "boss", "--data-dir", dir.path]).error.contains("'boss' is not a role"))
        #expect(try await vigil(["moderators", "role", "Mona", "moderator", "--data-dir", dir.path]).status != 0, "already has it")
        #expect(try await vigil(["moderators", "disable", "Mona", "--data-dir", dir.path]).status == 0)
        #expect(try await vigil(["moderators", "list", "--data-dir", dir.path]).output.contains("Mona\t") )
        #expect(try await vigil(["moderators", "list", "--data-dir", dir.path]).output.split(separator: "\n")[1].hasSuffix("disabled"))
        #expect(try await vigil(["moderators", "disable", "Mona", "--data-dir", dir.path]).status != 0, "only once")
        #expect(try await vigil(["moderators", "disable", "Nobody", "--data-dir", dir.path]).status != 0)
        #expect(try await vigil(["audit", "verify", "--data-dir", dir.path]).output.contains("OK: 6 events"), "two added, each with a console enrolment link, one role change, one disabled")
    }

    @Test("vigil --version prints the version")
    func version() async throws {
        let run = try await vigil(["--version"])
        #expect(run.status == 0)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == VigilVersion.current)
    }

    @Test("simulate refuses a bad scenario and a chart it could not write, before running")
    func simulateRefusals() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("bad.yaml")
        try Data("hours: -1\nbrigades: [{shape: stampede}]\n".utf8).write(to: scenario)
        let bad = try await vigil(["simulate", "--scenario", scenario.path, "--quiet"])
        #expect(bad.status != 0)
        #expect(bad.error.contains("hours") && bad.error.contains("brigades[0].shape"), "\(bad.error)")
        let chart = try await vigil(["simulate", "--chart", "/no/such/directory/chart.svg", "--quiet"])
        #expect(chart.status != 0)
        #expect(chart.error.contains("--chart"), "\(chart.error)")
    }

    @Test("export sor writes a file and refuses a bad date")
    func exportStatements() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("sor.jsonl")
        let run = try await vigil(["export", "sor", "--since", "2026-01-01", "--out", out.path, "--data-dir", dir.appendingPathComponent("data").path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("0 statements in 0 bulk requests"))
        #expect(FileManager.default.fileExists(atPath: out.path))
        let bad = try await vigil(["export", "sor", "--since", "last tuesday", "--data-dir", dir.path])
        #expect(bad.status != 0)
        #expect(bad.error.contains("is not a date"))
    }

    @Test("report transparency prints the figures, as text or JSON, and checks its dates")
    func transparency() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try await vigil(["report", "transparency", "--from", "2026-01-01", "--to", "2026-02-01", "--data-dir", dir.path])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("Reports received: 0"))
        let json = try await vigil(["report", "transparency", "--from", "2026-01-01", "--to", "2026-02-01", "--format", "json", "--data-dir", dir.path])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["reports_received"] as? Int == 0)
        let bad = try await vigil(["report", "transparency", "--from", "2026-02-01", "--to", "2026-01-01", "--data-dir", dir.path])
        #expect(bad.status != 0)
        #expect(bad.error.contains("to must be after from"))
    }

    @Test("migrate reports the schema version")
    func migrate() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try await vigil(["migrate", "--data-dir", dir.path])
        #expect(run.status == 0)
        #expect(run.output.contains("migrations applied: 1, 2, 3"))
    }
}
