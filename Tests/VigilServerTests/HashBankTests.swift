import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VigilTestSupport
@testable import VigilServer
@testable import VigilStore
import VigilCore

/// Hash banks: moderators' removals banked, re-uploads caught on arrival with no report, granted
/// appeals withdrawn, the kill switch and roll-out, imports and exports, and every node's index.
@Suite("Hash banks")
struct HashBankTests {
    /// Media hashing needs ffmpeg and djpeg; CI installs them (VIGIL_TEST_REQUIRE_DECODERS=1 makes their absence a failure).
    static var decoders: Bool {
        let present = ["/usr/bin/ffmpeg", "/usr/bin/ffprobe", "/usr/bin/djpeg"].allSatisfy(FileManager.default.isExecutableFile)
        if !present, ProcessInfo.processInfo.environment["VIGIL_TEST_REQUIRE_DECODERS"] == "1" { Issue.record("ffmpeg or djpeg is missing") }
        return present
    }

    static let rules = RuleSet.defaults(for: .builtIn, textRules: false)

    /// Runs ffmpeg with `arguments` and returns the file it wrote.
    static func ffmpeg(_ arguments: [String], output: URL) async throws -> [UInt8] {
        let result = try await Subprocess.run("/usr/bin/ffmpeg", ["-nostdin", "-loglevel", "error", "-y"] + arguments + [output.path], timeout: 120)
        #expect(result.succeeded, "ffmpeg: \(String(decoding: result.stderr, as: UTF8.self))")
        return try [UInt8](Data(contentsOf: output))
    }

    /// One encoder thread, fast: the suite runs tests side by side on few cores, and some time them.
    static let x264 = ["-c:v", "libx264", "-preset", "veryfast", "-threads", "1"]

    /// The test videos, made once for the whole run (each engine's case uses them): encoding is
    /// the heaviest thing these tests do, beside other tests that time things.
    static let madeVideos = Task { () throws -> (original: [UInt8], reupload: [UInt8], unrelated: [UInt8]) in
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-test-videos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await videos(in: directory)
    }

    /// A 10-second video, the same re-encoded at a low bitrate and cropped by 4 pixels on each
    /// side, and an unrelated one.
    static func videos(in directory: URL) async throws -> (original: [UInt8], reupload: [UInt8], unrelated: [UInt8]) {
        let original = try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "10"] + Self.x264 + ["-pix_fmt", "yuv420p"],
                                        output: directory.appendingPathComponent("original.mp4"))
        let reupload = try await ffmpeg(["-i", directory.appendingPathComponent("original.mp4").path, "-vf", "crop=iw-8:ih-8:4:4"] + Self.x264 + ["-b:v", "150k"],
                                        output: directory.appendingPathComponent("reupload.mp4"))
        let unrelated = try await ffmpeg(["-f", "lavfi", "-i", "mandelbrot=size=640x360:rate=25", "-t", "10"] + Self.x264 + ["-pix_fmt", "yuv420p"],
                                         output: directory.appendingPathComponent("unrelated.mp4"))
        return (original, reupload, unrelated)
    }

    func upload(_ client: any TestClientProtocol, _ h: Harness, subject: String, bytes: [UInt8], type: String) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/v1/subjects/\(subject)/media", method: .post,
                                                headers: [.authorization: "Bearer \(h.token)", .contentType: type], body: ByteBuffer(bytes: bytes))
        #expect(response.status == .ok, "\(response.text)")
        return try response.object()
    }

    func hashing(_ body: [String: Any]) -> [String: Any] { body["hashing"] as? [String: Any] ?? [:] }
    func matches(_ body: [String: Any]) -> [[String: Any]] { hashing(body)["matches"] as? [[String: Any]] ?? [] }

    func events(_ h: Harness, _ type: AuditEventType) async throws -> [AuditEvent] {
        try await h.app.store.read { try await $0.auditEvents(after: 0, limit: 10_000) }.filter { $0.type == type.rawValue }
    }

    // MARK: The re-upload story

    @Test("a moderator removes a video; the same video re-encoded and cropped arrives as a new subject and is taken down pending review with no report, under an automated statement; granted appeals withdraw banked hashes",
          arguments: TestDatabase.all)
    func reuploadStory(database: TestDatabase) async throws {
        guard Self.decoders else { return }
        try await withHarness(database: database, ruleSet: Self.rules) { client, h async throws in
            let media = try await Self.madeVideos.value
            let moderator = try await h.moderator("mod-1")
            let second = try await h.moderator("mod-2")
            let reviewer = try await h.moderator("appeals-1", role: .appeals)
            let admin = try await h.moderator("admin", role: .admin)

            // The original: hashed on upload (10 frames, one a second), nothing matches yet.
            try await client.register(h, id: "orig", creator: "creator-A")
            let first = try await upload(client, h, subject: "orig", bytes: media.original, type: "video/mp4")
            #expect(hashing(first)["status"] as? String == "ok")
            #expect(hashing(first)["type"] as? String == "vpdq")
            #expect(hashing(first)["frames"] as? Int == 10)
            #expect(matches(first).isEmpty)
            #expect(first["subject_state"] as? String == "visible")

            // Reported, and removed by a moderator: its hashes enter confirmed-removals, as an event.
            for i in 0..<3 { _ = try await client.report(h, reporter: "story-reporter-\(i)", subject: "orig", reason: "hate_speech") }
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":false,"note":"slur"}"#)
            #expect(try await client.state(h, of: "orig") == "removed")
            let added = try await events(h, .bankContentAdded)
            #expect(added.count == 1)
            let addedPayload = try #require(try added.first?.payload(as: BankContentChanged.self))
            #expect(addedPayload.bank == "confirmed-removals" && addedPayload.hashes == 10 && addedPayload.decisionId != nil)
            let banks = try await client.mod(.get, "/v1/mod/banks", token: admin)
            #expect(banks.status == .ok, "\(banks.text)")
            let bank = try #require((try banks.object()["banks"] as? [[String: Any]])?.first { $0["name"] as? String == "confirmed-removals" })
            #expect(bank["contents"] as? Int == 1 && bank["hashes"] as? Int == 10 && bank["enabled"] as? Bool == true)
            #expect(try await client.mod(.get, "/v1/mod/banks", token: moderator).status == .forbidden)

            // The re-upload, by someone else, as a new subject: caught on arrival, no report filed.
            let reportsBefore = try await h.reportCount()
            try await client.register(h, id: "copy", creator: "creator-B")
            let caught = try await upload(client, h, subject: "copy", bytes: media.reupload, type: "video/mp4")
            let match = try #require(matches(caught).first, "\(caught)")
            #expect(match["bank"] as? String == "confirmed-removals")
            #expect((match["distance"] as? Int ?? 99) <= 31)
            #expect((match["query_percent"] as? Double ?? 0) >= 80)
            #expect(caught["subject_state"] as? String == "pending_review")
            #expect(try await client.state(h, of: "copy") == "pending_review")
            #expect(try await h.reportCount() == reportsBefore)

            // An unrelated video is not caught.
            try await client.register(h, id: "other", creator: "creator-C")
            let other = try await upload(client, h, subject: "other", bytes: media.unrelated, type: "video/mp4")
            #expect(matches(other).isEmpty)
            #expect(other["subject_state"] as? String == "visible")

            // The re-uploader's statement: automated, the ground the removal rested on, and nothing
            // of the original, its creator, its reporters, the bank or the match.
            let notices = try await client.notices(h, creator: "creator-B")
            #expect(notices.count == 1)
            let content = try #require(notices.first?["content"] as? [String: Any])
            #expect(content["automated_detection"] as? Bool == true)
            #expect((content["restriction"] as? [String: Any])?["type"] as? String == "pending_review")
            #expect(((content["grounds"] as? [[String: Any]])?.first)?["policy_id"] as? String == "hate_speech")
            let text = String(decoding: try JSONSerialization.data(withJSONObject: notices), as: UTF8.self)
            for secret in ["orig", "creator-A", "story-reporter", "confirmed-removal", addedPayload.contentIds[0], addedPayload.decisionId ?? "-"] {
                #expect(!text.contains(secret), "the re-uploader's notice mentions \(secret)")
            }

            // A moderator confirms it: that decision is appealable, and banks the copy's hashes too.
            let queue = try await client.mod(.get, "/v1/mod/queue?automated=true", token: second).object()
            #expect((queue["cases"] as? [[String: Any]])?.first?["detected_by"] as? String == "confirmed-removal-hate_speech")
            _ = try await client.decideNext(second, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":false,"note":"re-upload"}"#)
            let removal = try #require(try await client.notices(h, creator: "creator-B").compactMap { $0["content"] as? [String: Any] }
                .first { $0["appealable_decision_id"] != nil })
            let decisionID = try #require(removal["appealable_decision_id"] as? String)
            #expect(try await events(h, .bankContentAdded).count == 2)

            // The creator of the original appeals, and a reviewer grants it: the original's hashes
            // are withdrawn (an event), so the same video uploaded again is no longer caught by them.
            let originalDecision = try #require(addedPayload.decisionId)
            let filed = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(originalDecision)","creator_id":"creator-A","statement":"satire"}"#)
            #expect(filed.status == .created, "\(filed.text)")
            let appealID = try #require(try filed.object()["appeal_id"] as? String)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/claim", token: reviewer).status == .ok)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appealID)/decision", token: reviewer, #"{"outcome":"granted","note":"satire"}"#).status == .ok)
            #expect(try await client.state(h, of: "orig") == "visible")
            let removed = try await events(h, .bankContentRemoved)
            #expect(try removed.map { try $0.payload(as: BankContentChanged.self).contentIds } == [addedPayload.contentIds])
            // The copy's own entry still stands until its appeal is granted.
            try await client.register(h, id: "again", creator: "creator-D")
            let again = try await upload(client, h, subject: "again", bytes: media.original, type: "video/mp4")
            #expect(matches(again).count == 1, "only the copy's entry: \(matches(again))")
            let appeal2 = try await client.json(.post, "/v1/appeals", h, #"{"decision_id":"\#(decisionID)","creator_id":"creator-B","statement":"mine"}"#)
            let appeal2ID = try #require(try appeal2.object()["appeal_id"] as? String)
            _ = try await client.mod(.post, "/v1/mod/appeals/\(appeal2ID)/claim", token: reviewer)
            #expect(try await client.mod(.post, "/v1/mod/appeals/\(appeal2ID)/decision", token: reviewer, #"{"outcome":"granted","note":"ok"}"#).status == .ok)
            try await client.register(h, id: "third", creator: "creator-E")
            let third = try await upload(client, h, subject: "third", bytes: media.original, type: "video/mp4")
            #expect(matches(third).isEmpty, "every entry withdrawn: \(matches(third))")
            #expect(third["subject_state"] as? String == "visible")

            // No media was written anywhere, and the DSA export of the automated measure is valid.
            if database.engine == .sqlite {
                for name in try FileManager.default.contentsOfDirectory(atPath: h.directory.path) where name.hasPrefix("vigil.sqlite") {
                    let file = try Data(contentsOf: h.directory.appendingPathComponent(name))
                    #expect(file.range(of: Data(media.reupload[200..<264])) == nil, "video bytes in \(name)")
                }
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("vigil-media-") }
            #expect(leftovers.isEmpty, "temporary media left behind: \(leftovers)")
            let statements = try await StatementExport(store: h.app.store, policy: h.app.policy, keyring: h.app.keyring).statements(since: Timestamp(milliseconds: 0))
            let automated = statements.filter { $0["automated_decision"] as? String == "AUTOMATED_DECISION_FULLY" }
            #expect(!automated.isEmpty)
            for statement in statements { #expect(DSAStatementValidator.validate(statement) == []) }
            try await h.expectAuditIntact()
        }
    }

    @Test("an image removed by a moderator is caught again rotated, flipped and re-encoded; the kill switch and the roll-out ratio hold matching back")
    func imagesAndKillSwitch() async throws {
        guard Self.decoders else { return }
        try await withHarness(ruleSet: Self.rules) { client, h async throws in
            let moderator = try await h.moderator("mod")
            let admin = try await h.moderator("admin", role: .admin)
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/pdq-images/q0746.jpg")
            let original = try [UInt8](Data(contentsOf: source))
            let rotated = try await Self.ffmpeg(["-i", source.path, "-vf", "transpose=1,hflip", "-q:v", "12"], output: h.directory.appendingPathComponent("rotated.jpg"))
            try await client.register(h, id: "img", creator: "creator-A", kind: "account")
            let first = try await upload(client, h, subject: "img", bytes: original, type: "image/jpeg")
            #expect(hashing(first)["type"] as? String == "pdq" && hashing(first)["quality"] as? Int == 100)
            for i in 0..<3 { _ = try await client.report(h, reporter: "img-reporter-\(i)", subject: "img", reason: "hate_speech") }
            try await h.reviewIndependence()
            _ = try await client.decideNext(moderator, #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":false,"note":"x"}"#)

            try await client.register(h, id: "img-2", creator: "creator-B", kind: "account")
            let caught = try await upload(client, h, subject: "img-2", bytes: rotated, type: "image/jpeg")
            #expect((matches(caught).first?["distance"] as? Int ?? 99) <= 31, "rotated and flipped, matched through the dihedral variants: \(caught)")
            #expect(caught["subject_state"] as? String == "pending_review")

            // The kill switch: the bank matches nothing while it is off.
            let off = try await client.mod(.patch, "/v1/mod/banks/confirmed-removals", token: admin, #"{"enabled":false}"#)
            #expect(off.status == .ok, "\(off.text)")
            try await client.register(h, id: "img-3", creator: "creator-C", kind: "account")
            #expect(matches(try await upload(client, h, subject: "img-3", bytes: original, type: "image/jpeg")).isEmpty)
            // An operator's lookup still finds it, with the bank's settings; bad queries are refused naming the field.
            let decoded = try await ImageDecoder.decode(original)
            let hex = PDQ.hash(rgb: decoded.rgb, width: decoded.width, height: decoded.height).hash.hex
            let lookup = try await client.mod(.get, "/v1/mod/hashes/lookup?pdq=\(hex)", token: admin)
            #expect(lookup.status == .ok, "\(lookup.text)")
            let found = try #require((try lookup.object()["matches"] as? [[String: Any]])?.first)
            #expect(found["bank"] as? String == "confirmed-removals" && found["bank_enabled"] as? Bool == false && found["distance"] as? Int == 0)
            #expect(found["category"] as? String == "hate_speech")
            for (query, field) in [("", "pdq"), ("?pdq=abc", "pdq"), ("?pdq=\(hex)&distance=65", "distance"), ("?pdq=\(hex)&distance=x", "distance")] {
                let refused = try await client.mod(.get, "/v1/mod/hashes/lookup\(query)", token: admin)
                #expect(refused.status == .unprocessableContent && refused.text.contains(field), "\(query): \(refused.text)")
            }
            #expect(try await client.mod(.get, "/v1/mod/hashes/lookup?pdq=\(hex)", token: moderator).status == .forbidden)
            // Back on at a ratio of 0: still nothing; at 0.5, a fixed half of subjects (the same answer every time).
            _ = try await client.mod(.patch, "/v1/mod/banks/confirmed-removals", token: admin, #"{"enabled":true,"enabled_ratio":0}"#)
            try await client.register(h, id: "img-4", creator: "creator-C", kind: "account")
            #expect(matches(try await upload(client, h, subject: "img-4", bytes: original, type: "image/jpeg")).isEmpty)
            _ = try await client.mod(.patch, "/v1/mod/banks/confirmed-removals", token: admin, #"{"enabled_ratio":0.5}"#)
            var caughtCount = 0
            for i in 0..<40 {
                let id = "half-\(i)"
                try await client.register(h, id: id, creator: "creator-H\(i)", kind: "account")
                let hit = !matches(try await upload(client, h, subject: id, bytes: original, type: "image/jpeg")).isEmpty
                let bank = try #require(h.app.banks.index.banks.first { $0.name == "confirmed-removals" })
                #expect(hit == bank.matches(subjectID: id), "the draw decides, and only it")
                if hit { caughtCount += 1 }
            }
            #expect((10...30).contains(caughtCount), "about half of 40 subjects: \(caughtCount)")
            #expect(try await events(h, .bankUpdated).count == 3)

            // Bad settings are refused naming the field; unknown banks are 404.
            for (body, field) in [(#"{"enabled_ratio":1.5}"#, "enabled_ratio"), (#"{"enabled":"yes"}"#, "enabled"), (#"{"colour":1}"#, "colour")] {
                let refused = try await client.mod(.patch, "/v1/mod/banks/confirmed-removals", token: admin, body)
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(body): \(refused.text)")
                #expect(refused.text.contains(field), "\(body): \(refused.text)")
            }
            #expect(try await client.mod(.patch, "/v1/mod/banks/nope", token: admin, #"{"enabled":false}"#).status == .notFound)
            let unchanged = try await client.mod(.patch, "/v1/mod/banks/confirmed-removals", token: admin, #"{"enabled":null}"#)
            #expect(unchanged.status == .ok, "nothing to change: \(unchanged.text)")
            #expect(try unchanged.object()["enabled_ratio"] as? Double == 0.5)
            #expect(try await events(h, .bankUpdated).count == 3, "and nothing written")
            let created = try await client.mod(.post, "/v1/mod/banks", token: admin, #"{"name":"partner-list","description":"From a partner","enabled_ratio":0.25}"#)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await client.mod(.post, "/v1/mod/banks", token: admin, #"{"name":"partner-list"}"#).status == .conflict)
            #expect(try await client.mod(.post, "/v1/mod/banks", token: admin, #"{"name":"Bad Name"}"#).text.contains("name"))
        }
    }

    // MARK: Hashes the platform computed

    @Test("pdq and vpdq signals the platform computed are matched like uploads; malformed ones are refused naming the field", arguments: TestDatabase.all)
    func pushedHashes(database: TestDatabase) async throws {
        try await withHarness(database: database, ruleSet: Self.rules) { client, h async throws in
            // One frame a second, as a platform would send them (the reference files hash every frame).
            func sampled(_ name: String) throws -> [VPDQFrame] {
                let frames = try VPDQ.parse(String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/vpdq-hashes/\(name).txt"),
                    encoding: .utf8))
                return stride(from: 0, to: frames.count, by: 30).map { frames[$0] }
            }
            func json(_ frames: [VPDQFrame]) -> String { frames.map { "\"\($0.line)\"" }.joined(separator: ",") }
            let original = try sampled("chair-orig-22-sd-bar")
            let linesJSON = json(original)
            let hash = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
            try await client.register(h, id: "bad", creator: "creator-A")
            let pushed = try await client.json(.post, "/v1/subjects/bad/signals", h, #"""
                {"signals":[{"source":"platform","id":"cover-1","type":"pdq","value":"\#(hash)","quality":90},
                            {"source":"platform","id":"video-1","type":"vpdq","frames":[\#(linesJSON)]}]}
                """#)
            #expect(pushed.status == .created, "\(pushed.text)")
            let media = try await h.app.store.read { try await $0.subjectMedia(subjectID: "bad") }
            #expect(media.map(\.type) == [.pdq, .vpdq])
            #expect(media.last?.frames.count == original.count)
            // Removed by a moderator: both are banked.
            for i in 0..<3 { _ = try await client.report(h, reporter: "r-\(i)", subject: "bad", reason: "hate_speech") }
            _ = try await client.decideNext(try await h.moderator("mod"), #"{"outcome":"violation","policy_ids":["hate_speech"],"action":"remove","strike":false,"note":"x"}"#)
            // The same video with a small logo added: caught; with a large logo over it: not.
            try await client.register(h, id: "copy", creator: "creator-B")
            let caught = try await client.json(.post, "/v1/subjects/copy/signals", h,
                                               #"{"signals":[{"source":"platform","id":"video-2","type":"vpdq","frames":[\#(json(try sampled("chair-22-with-small-logo-bar")))]}]}"#)
            #expect(try caught.object()["subject_state"] as? String == "pending_review", "\(caught.text)")
            try await client.register(h, id: "logo", creator: "creator-L")
            let missed = try await client.json(.post, "/v1/subjects/logo/signals", h,
                                               #"{"signals":[{"source":"platform","id":"video-3","type":"vpdq","frames":[\#(json(try sampled("chair-22-with-large-logo-bar")))]}]}"#)
            #expect(try missed.object()["subject_state"] as? String == "visible", "\(missed.text)")
            let signals = try await h.app.store.read { try await $0.signals(subjectID: "copy", limit: 10) }
            let match = try #require(signals.first { $0.kind == .hashMatch })
            #expect(match.label == "confirmed-removals" && match.model == "vpdq" && match.value == "hate_speech" && (match.distance ?? 99) <= 31)
            // A cover image one bit away from the banked one.
            try await client.register(h, id: "cover", creator: "creator-C")
            let near = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23"
            let image = try await client.json(.post, "/v1/subjects/cover/signals", h, #"{"signals":[{"source":"platform","id":"cover-9","type":"pdq","value":"\#(near)"}]}"#)
            #expect(try image.object()["subject_state"] as? String == "pending_review", "\(image.text)")

            let head = try await h.auditHead()
            for (body, field) in [
                (#"{"source":"p","id":"x","type":"pdq","value":"abc"}"#, "signals[0].value"),
                (#"{"source":"p","id":"x","type":"pdq","value":"\#(hash)","quality":101}"#, "signals[0].quality"),
                (#"{"source":"p","id":"x","type":"vpdq","frames":[]}"#, "signals[0].frames"),
                (#"{"source":"p","id":"x","type":"vpdq","frames":["0,100,zz,0.0"]}"#, "signals[0].frames[0]"),
                (#"{"source":"p","id":"x","type":"vpdq","frames":["0,100,\#(hash),0.0"],"value":"v"}"#, "signals[0].value"),
                (#"{"source":"p","id":"x","type":"classifier","frames":["0,100,\#(hash),0.0"],"label":"a","score":0.5,"model":"m"}"#, "signals[0].frames"),
                (#"{"source":"p","id":"x","type":"classifier","score":0.5,"model":"m"}"#, "signals[0].label"),
            ] {
                let refused = try await client.json(.post, "/v1/subjects/cover/signals", h, #"{"signals":[\#(body)]}"#)
                #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
                #expect(try refused.object()["field"] as? String == field, "\(body): \(refused.text)")
            }
            #expect(try await h.auditHead() == head, "nothing written by a refused request")
        }
    }

    @Test("past its threshold of new hashes the index is built again in the background; matches are the same before, during and after")
    func backgroundRebuild() async throws {
        try await withHarness { _, h async throws in
            // A threshold of 500 rather than 20,000: the same code path, at a cost the suite can carry.
            let banks = HashBanks(store: h.app.store, index: BankIndex(store: h.app.store, rebuildAfter: 500))
            var generator = SystemRandomNumberGenerator()
            func random() -> PDQHash { PDQHash(words: (generator.next(), generator.next(), generator.next(), generator.next())) }
            // The first load of a large bank is built before it is used.
            let first = (0..<1_000).map { _ in random() }
            _ = try await banks.importFile(bank: "first", text: first.map(\.hex).joined(separator: "\n"), fileName: "first.txt")
            #expect(banks.index.unbuilt == 0)
            // Later, as many again: matchable at once (scanned), built again in the background.
            let hashes = (0..<1_000).map { _ in random() }
            _ = try await banks.importFile(bank: "big", text: hashes.map(\.hex).joined(separator: "\n"), fileName: "big.txt")
            let probes = stride(from: 0, to: hashes.count, by: 100).map { hashes[$0] } + [first[7]]
            func found() -> [Int] { probes.map { banks.index.matches(image: [$0], subjectID: "s").count } }
            #expect(found() == Array(repeating: 1, count: probes.count))
            await banks.index.settled()
            #expect(banks.index.unbuilt == 0, "built again")
            #expect(found() == Array(repeating: 1, count: probes.count))
            #expect(banks.index.size.hashes == 2_000)
        }
    }

    // MARK: Every node

    @Test("a hash banked through one node's index is matchable on another's after its refresh; a withdrawal likewise", arguments: TestDatabase.all)
    func everyNode(database: TestDatabase) async throws {
        try await withHarness(database: database) { _, h async throws in
            let nodeA = HashBanks(store: h.app.store, index: BankIndex(store: h.app.store))
            let nodeB = BankIndex(store: h.app.store)
            try await nodeB.refresh()
            let lists = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/pdq-hashlists")
            let haystack = try String(contentsOf: lists.appendingPathComponent("haystack.txt"), encoding: .utf8)
            let needles = try String(contentsOf: lists.appendingPathComponent("needles.txt"), encoding: .utf8).split(separator: "\n").compactMap { PDQHash(hex: String($0)) }
            let outcome = try await nodeA.importFile(bank: "partner", text: haystack, fileName: "haystack.txt")
            #expect(outcome.added + outcome.repeats == 1_350)
            #expect(nodeB.matches(image: [needles[0]], subjectID: "s").isEmpty, "not yet refreshed")
            #expect(try await nodeB.refresh())
            // Exactly the brute-force truth at d <= 31 (250 pairs, every needle matched), through the bank index.
            var pairs = 0
            for needle in needles { pairs += nodeB.matches(image: [needle], subjectID: "s").count }
            let haystackHashes = Set(haystack.split(separator: "\n").compactMap { PDQHash(hex: String($0)) })
            let truth = needles.reduce(0) { total, needle in total + haystackHashes.filter { $0.distance(to: needle) <= 31 }.count }
            #expect(pairs == truth && truth >= 100, "\(pairs) pairs, brute-force truth over the distinct hashes \(truth)")
            // Imported again: nothing added; every content is the import's, with its provenance.
            let again = try await nodeA.importFile(bank: "partner", text: haystack, fileName: "haystack.txt")
            #expect(again.added == 0 && again.alreadyPresent == outcome.added)
            // Withdrawn on node A (as a granted appeal would): gone from node B after its refresh.
            let contents = try await h.app.store.read { try await $0.bankContents(source: .import, reference: outcome.reference) }
            #expect(contents.count == outcome.added)
            let target = try #require(nodeB.matches(image: [needles[0]], subjectID: "s").first)
            _ = try await h.app.store.write { try await $0.removeBankContents(ids: [target.contentID], reason: "test", at: .now()) }
            try await nodeB.refresh()
            #expect(!nodeB.matches(image: [needles[0]], subjectID: "s").contains { $0.contentID == target.contentID })
            // Export: the import's hashes less the withdrawn one, in the same text format.
            var exported = ""
            let count = try await nodeA.export(bank: "partner") { exported += $0 }
            #expect(count == outcome.added - 1)
            let parsed = try BankFile.parse(exported)
            #expect(Set(parsed.hashes).count == outcome.added - 1 && exported.hasPrefix("pdq "))
            // A malformed file is refused naming its line, and nothing is written.
            let head = try await h.auditHead()
            await #expect(throws: VigilError.self) { try await nodeA.importFile(bank: "partner", text: "pdq \(needles[1].hex)\npdq nothex\n", fileName: "bad.txt") }
            #expect(try await h.auditHead() == head)
            #expect(throws: BankFile.Failure(line: 2, detail: "'nothex' is not a PDQ hash (64 hex digits)")) { try BankFile.parse("pdq \(needles[1].hex)\npdq nothex\n") }
            let mixed = try BankFile.parse("# a comment\n\n\(needles[1].hex)\nvideo_md5 d41d8cd98f00b204e9800998ecf8427e\nPDQ \(needles[2].hex.uppercased())\n\(needles[1].hex)\n")
            #expect(mixed.hashes == [needles[1], needles[2]] && mixed.skipped == ["video_md5": 1] && mixed.repeats == 1)
        }
    }
}
