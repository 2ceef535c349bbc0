import Foundation
import Testing

/// `vigil hash pdq` on the staged PDQ images (../shared/detection-fixtures), decoded with
/// libjpeg-turbo's djpeg as the goldens assume. Runs where djpeg is installed; CI installs it and
/// sets VIGIL_TEST_REQUIRE_DECODERS=1, so there a missing decoder fails instead of skipping.
extension CommandLineTests {
    static var decodersAvailable: Bool {
        ProcessInfo.processInfo.environment["VIGIL_TEST_REQUIRE_DECODERS"] == "1" || FileManager.default.isExecutableFile(atPath: "/usr/bin/djpeg")
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/pdq-images")
    }

    @Test("hash pdq gives every staged image's expected hash and quality, bit for bit", .enabled(if: decodersAvailable))
    func hashPDQ() async throws {
        let expected = try String(contentsOf: Self.fixtures.appendingPathComponent("expected.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        #expect(expected.count == 13)
        let run = try await vigil(["hash", "pdq"] + expected.map { Self.fixtures.appendingPathComponent($0[0]).path })
        #expect(run.status == 0, "\(run.error)")
        let lines = run.output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == expected.count)
        for (row, line) in zip(expected, lines) {
            #expect(line.count == 3 && line[2].hasSuffix("/" + row[0]), "\(line)")
            #expect(line.first == row[3], "\(row[0]): \(line.first ?? "") instead of \(row[3])")
            #expect(line.dropFirst().first == row[4], "\(row[0]) quality")
        }
    }

    @Test("hash pdq names a file it cannot read or decode, and exits 1", .enabled(if: decodersAvailable))
    func hashPDQRefusals() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.txt")
        try "not an image".write(to: text, atomically: true, encoding: .utf8)
        let broken = dir.appendingPathComponent("broken.jpg")
        try Data([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x40, 0x00, 0x40, 0x03, 0x01, 0x22, 0x00]).write(to: broken)
        let run = try await vigil(["hash", "pdq", text.path, broken.path, Self.fixtures.appendingPathComponent("wee.jpg").path])
        #expect(run.status == 1)
        #expect(run.error.contains("notes.txt: not a JPEG, PNG, GIF or WebP image"), "\(run.error)")
        #expect(run.error.contains("broken.jpg: djpeg could not decode the image"), "\(run.error)")
        #expect(run.output.contains("6227401f601ff4ccafcc9fad4b0d95d371a2eb7265a3285234d228ca94deeb2d 100"), "the good file is still hashed")
    }
}
