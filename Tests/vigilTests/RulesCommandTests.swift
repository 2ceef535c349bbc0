import Foundation
import Testing
@testable import VigilStore
import VigilCore

/// `vigil rules` and the detection files `vigil serve` reads, run as an operator would.
extension CommandLineTests {
    @Test("rules check accepts the example file and lists every problem of a bad one; serve refuses a bad rules or classifiers file")
    func rulesCheck() async throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/rules.yaml")
        let good = try await vigil(["rules", "check", example.path])
        #expect(good.status == 0, "\(good.error)")
        #expect(good.output.contains("ok: rule set example-2026-11, 5 rules (4 live, 1 shadow, 0 disabled)"), "\(good.output)")

        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("rules.yaml")
        try """
            version: "bad"
            rules:
              - id: Loud
                policy: gossip
                action: obliterate
                mode: live
                when: {signal: {type: classifier, score_at_least: 1.5}}
            """.write(to: bad, atomically: true, encoding: .utf8)
        let checked = try await vigil(["rules", "check", bad.path])
        #expect(checked.status != 0)
        for problem in ["rules[0].id:", "rules[0].policy: 'gossip' is not a category", "rules[0].action: must be one of", "rules[0].when.signal.score_at_least"] {
            #expect(checked.error.contains(problem), "missing: \(problem)\n\(checked.error)")
        }
        let served = try await vigil(["serve", "--rules", bad.path, "--data-dir", dir.appendingPathComponent("data").path, "--port", "0"])
        #expect(served.status != 0)
        #expect(served.error.contains("rules[0].policy: 'gossip' is not a category"), "\(served.error)")

        let classifiers = dir.appendingPathComponent("classifiers.yaml")
        try "classifiers:\n  - name: x\n    url: ftp://nowhere\n".write(to: classifiers, atomically: true, encoding: .utf8)
        let refused = try await vigil(["serve", "--classifiers", classifiers.path, "--data-dir", dir.appendingPathComponent("data").path, "--port", "0"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("classifiers[0].url: must be an http or https URL"), "\(refused.error)")
    }

    @Test("rules stats lists the rules in force; rules test names an unknown subject")
    func rulesStatsAndTest() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        let stats = try await vigil(["rules", "stats", "--data-dir", data])
        #expect(stats.status == 0, "\(stats.error)")
        // The built-in rules with no matches yet: the text rules in shadow, the re-upload rules live.
        #expect(stats.output.contains("abusive-comment\tshadow\tsuppress\t0\t0\t0\t0\t0\t-\t-"), "\(stats.output)")
        #expect(stats.output.contains("confirmed-removal-hate_speech\tlive\tpending_review\t0\t0\t0\t0\t0\t-\t-"), "\(stats.output)")
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/rules.yaml")
        let test = try await vigil(["rules", "test", example.path, "--subject", "nobody", "--data-dir", data])
        #expect(test.status != 0)
        #expect(test.error.contains("nobody"), "\(test.error)")
    }
}

extension CommandLineTests {
    @Test("rules test shows what a rule file would do to a stored subject and its signals, and changes nothing")
    func rulesTestDryRun() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await vigil(["migrate", "--data-dir", dir.path]).status == 0)
        let store = try await Store.openSQLite(path: dir.appendingPathComponent("vigil.sqlite").path)
        let now = Timestamp.now()
        try await store.withRunning {
            try await store.write { tx in
                try await tx.insertSubject(Subject(id: "clip-9", kind: .video, creatorID: "c-9", reach: Reach(views: 40), stateChangedAt: now), at: now)
                _ = try await tx.insertSignals([
                    Signal(source: "platform-nsfw", id: "s-1", subjectID: "clip-9", kind: .classifier, label: "nudity", score: 0.93, model: "nsfw", receivedAt: now),
                ])
            }
        }
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/rules.yaml")
        let run = try await vigil(["rules", "test", example.path, "--subject", "clip-9", "--data-dir", dir.path])
        #expect(run.status == 0, "\(run.error)")
        for line in ["subject clip-9: video, visible, 40 views", "signal platform-nsfw/s-1: classifier nudity score 0.93",
                     "match nudity-suppress [live]: suppress on platform-nsfw/s-1", "match nudity-takedown [live]: pending_review <- acts",
                     "would put the subject in pending_review"] {
            #expect(run.output.contains(line), "missing: \(line)\n\(run.output)")
        }
        // A dry run: nothing matched, nothing changed.
        let after = try await Store.openSQLite(path: dir.appendingPathComponent("vigil.sqlite").path)
        try await after.withRunning {
            let (subject, matches) = try await after.read { session in
                (try await session.subject(id: "clip-9"), try await session.ruleMatches(subjectID: "clip-9", limit: 10))
            }
            #expect(subject?.state == .visible)
            #expect(matches.isEmpty)
        }
    }
}
