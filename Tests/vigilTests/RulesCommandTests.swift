import Foundation
import Testing

/// `vigil rules` and the detection files `vigil serve` reads, run as an operator would.
extension CommandLineTests {
    @Test("rules check accepts the example file and lists every problem of a bad one; serve refuses a bad rules or classifiers file")
    func rulesCheck() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/rules.yaml")
        let good = try vigil(["rules", "check", example.path])
        #expect(good.status == 0, "\(good.error)")
        #expect(good.output.contains("ok: rule set example-2026-11, 4 rules (3 live, 1 shadow, 0 disabled)"), "\(good.output)")

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
        let checked = try vigil(["rules", "check", bad.path])
        #expect(checked.status != 0)
        for problem in ["rules[0].id:", "rules[0].policy: 'gossip' is not a category", "rules[0].action: must be one of", "rules[0].when.signal.score_at_least"] {
            #expect(checked.error.contains(problem), "missing: \(problem)\n\(checked.error)")
        }
        let served = try vigil(["serve", "--rules", bad.path, "--data-dir", dir.appendingPathComponent("data").path, "--port", "0"])
        #expect(served.status != 0)
        #expect(served.error.contains("rules[0].policy: 'gossip' is not a category"), "\(served.error)")

        let classifiers = dir.appendingPathComponent("classifiers.yaml")
        try "classifiers:\n  - name: x\n    url: ftp://nowhere\n".write(to: classifiers, atomically: true, encoding: .utf8)
        let refused = try vigil(["serve", "--classifiers", classifiers.path, "--data-dir", dir.appendingPathComponent("data").path, "--port", "0"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("classifiers[0].url: must be an http or https URL"), "\(refused.error)")
    }

    @Test("rules stats lists the rules in force; rules test names an unknown subject")
    func rulesStatsAndTest() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        let stats = try vigil(["rules", "stats", "--data-dir", data])
        #expect(stats.status == 0, "\(stats.error)")
        // The built-in rules, in shadow, with no matches yet.
        #expect(stats.output.contains("abusive-comment\tshadow\tsuppress\t0\t0\t0\t0\t0\t-\t-"), "\(stats.output)")
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/rules.yaml")
        let test = try vigil(["rules", "test", example.path, "--subject", "nobody", "--data-dir", data])
        #expect(test.status != 0)
        #expect(test.error.contains("nobody"), "\(test.error)")
    }
}
