import Foundation
import Testing
@testable import VigilCore

@Suite("vPDQ")
struct VPDQTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/vpdq-hashes")

    static func frames(_ name: String) throws -> [VPDQFrame] {
        try VPDQ.parse(String(contentsOf: folder.appendingPathComponent("\(name).txt"), encoding: .utf8))
    }

    /// detection-fixtures/README.md: query, compared, frames, then q%/c% under the C++ matcher's
    /// semantics and under python-threatexchange's, as printed there (two decimals at most).
    static let expected: [(String, String, Int, Int, Double, Double, Double, Double)] = [
        ("chair-19-sd-bar", "chair-19-sd-bar", 564, 564, 100.0, 100.0, 100.0, 100.0),
        ("chair-19-sd-bar", "chair-20-sd-bar", 564, 614, 100.0, 92.18, 100.0, 92.76),
        ("chair-19-sd-bar", "chair-22-sd-sepia-bar", 564, 673, 100.0, 83.95, 100.0, 85.82),
        ("chair-19-sd-bar", "chair-22-with-large-logo-bar", 564, 673, 10.46, 10.55, 10.5, 10.58),
        ("chair-22-with-small-logo-bar", "chair-orig-22-sd-bar", 673, 673, 95.25, 95.1, 95.08, 95.02),
        ("pattern-hd-no-bar", "pattern-longer-no-bar", 206, 235, 100.0, 88.03, 100.0, 87.93),
        ("pattern-sd-with-small-logo-bar", "pattern-sd-grey-bar", 206, 206, 99.51, 99.51, 99.51, 99.5),
        ("pattern-sd-with-small-logo-bar", "pattern-sd-with-large-logo-bar", 206, 206, 0.49, 0.49, 0.49, 0.5),
        ("pattern-sd-with-small-logo-bar", "pattern-hd-no-bar", 206, 206, 0.0, 0.0, 0.0, 0.0),
        ("doorknob-hd-no-bar", "chair-19-sd-bar", 120, 564, 0.0, 0.0, 0.0, 0.0),
    ]

    @Test("the staged vPDQ pairs give the published match percentages, under both matchers' semantics")
    func stagedPairs() throws {
        for (query, compared, queryFrames, comparedFrames, cppQ, cppC, pytxQ, pytxC) in Self.expected {
            let q = try Self.frames(query), c = try Self.frames(compared)
            #expect(q.count == queryFrames && c.count == comparedFrames, "\(query) / \(compared) frame counts")
            let cpp = VPDQ.compare(query: q, compared: c, semantics: .cpp)
            let pytx = VPDQ.compare(query: q, compared: c)
            // The README rounds to two decimals (or fewer, dropping a trailing zero).
            #expect(abs(cpp.queryPercent - cppQ) < 0.006 && abs(cpp.comparedPercent - cppC) < 0.006,
                    "C++ \(query) / \(compared): \(cpp.queryPercent)/\(cpp.comparedPercent)")
            #expect(abs(pytx.queryPercent - pytxQ) < 0.006 && abs(pytx.comparedPercent - pytxC) < 0.006,
                    "pytx \(query) / \(compared): \(pytx.queryPercent)/\(pytx.comparedPercent)")
            #expect(pytx.isMatch == (pytxQ >= 80), "\(query) / \(compared)")
            if pytx.isMatch { #expect((pytx.worstMatchedDistance ?? 99) <= 31) }
        }
    }

    @Test("frame lines round-trip, and malformed lines are refused with their line number")
    func lines() throws {
        let frames = try Self.frames("chair-19-sd-bar")
        let text = frames.map(\.line).joined(separator: "\n")
        #expect(try VPDQ.parse(text) == frames)
        let original = try String(contentsOf: Self.folder.appendingPathComponent("chair-19-sd-bar.txt"), encoding: .utf8)
        #expect(text == original.trimmingCharacters(in: .whitespacesAndNewlines), "the same text as the reference's file")
        for bad in ["0,100,zz,0.000", "0,101,\(frames[0].hash.hex),0.000", "-1,100,\(frames[0].hash.hex),0.000", "0,100,\(frames[0].hash.hex)",
                    "0,100,\(frames[0].hash.hex),nan", "0,100,\(frames[0].hash.hex),-1"] {
            #expect(throws: VPDQ.ParseFailure(line: 2, detail: "is not 'frame,quality,hash,timestamp'")) {
                try VPDQ.parse("# comment\n\(bad)\n")
            }
        }
        #expect(VPDQFrame(frame: 3, quality: 90, hash: frames[0].hash, timestamp: 12.0456).line.hasSuffix(",12.046"))
    }
}
