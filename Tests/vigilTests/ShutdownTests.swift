import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import VigilServer
@testable import VigilStore
import VigilCore

/// `vigil serve` stops in order on SIGTERM, as an operator's supervisor stops it: the server stops
/// accepting, maintenance stops, intake commits what was queued, the store closes last. Every
/// report that was acknowledged is stored.
@Suite("Graceful shutdown", .serialized)
struct ShutdownTests {
    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func request(_ method: String, _ url: String, key: String, body: String?) async -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request) else { return (0, "") }
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("SIGTERM under load: acknowledged reports are all stored, services stop in order, the database is closed cleanly")
    func sigterm() async throws {
        let cli = CommandLineTests()
        let dir = try cli.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try await cli.vigil(["keys", "create", "--scope", "subjects:write", "--scope", "reports:write", "--data-dir", dir.path])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try freePort()
        let log = dir.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let server = try Subprocess.spawn(
            CommandLineTests.binary.path, ["serve", "--data-dir", dir.path, "--port", String(port)],
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIGIL_") },
            stdout: output.fileDescriptor, stderr: output.fileDescriptor)
        let base = "http://127.0.0.1:\(port)"
        var ready = false
        for _ in 0..<100 where !ready {
            ready = await request("GET", "\(base)/readyz", key: key, body: nil).status == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "the server came up")
        #expect(await request("PUT", "\(base)/v1/subjects/v", key: key, body: #"{"kind":"video","creator_id":"c"}"#).status == 201)

        // 200 reports from 200 reporters at once; SIGTERM while they are on their way.
        let acknowledged = await withTaskGroup(of: String?.self, returning: [String].self) { group in
            for i in 0..<200 {
                group.addTask {
                    let response = await request("POST", "\(base)/v1/reports", key: key,
                                                 body: #"{"reporter_id":"r\#(i)","subject_id":"v","reason":"spam"}"#)
                    guard response.status == 201 else { return nil }
                    return (try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])?["report_id"] as? String
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(30))
                kill(server, SIGTERM)
                return nil
            }
            var ids: [String] = []
            for await id in group { if let id { ids.append(id) } }
            return ids
        }
        let ended = await Subprocess.exit(of: server)
        try output.close()
        #expect(!ended.signalled && ended.status == 0, "exit status \(ended.status)\(ended.signalled ? " (signal)" : "")")

        let text = try String(contentsOf: log, encoding: .utf8)
        let order = ["maintenance stopped", "intake drained", "store closed", "[vigil] stopped"].map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil }, "\(text.suffix(600))")
        if order.allSatisfy({ $0 != nil }) {
            #expect(zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "services stopped in order:\n\(text.suffix(600))")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("vigil.sqlite-wal").path), "closed cleanly: the WAL was checkpointed away")

        let store = try await Store.openSQLite(path: dir.appendingPathComponent("vigil.sqlite").path)
        let stored = try await store.withRunning {
            try await store.read { session in
                try await session.sql.raw("SELECT id FROM reports").all().map { try $0.decode(column: "id", as: String.self) }
            }
        }
        #expect(Set(acknowledged).isSubset(of: Set(stored)), "every acknowledged report is stored")
        #expect(!acknowledged.isEmpty, "some reports were acknowledged before the shutdown")
        let verified = try await cli.vigil(["audit", "verify", "--data-dir", dir.path])
        #expect(verified.status == 0, "\(verified.output)")
        print("graceful shutdown: \(acknowledged.count) of 200 reports acknowledged before SIGTERM, \(stored.count) stored")
    }
}
