import Foundation
import Testing
@testable import VigilCore

@Suite("PDQ")
struct PDQTests {
    /// The synthetic images of scripts/detection/pdq-vectors.py, pixel for pixel (integers only).
    static func image(width: Int, height: Int, seed: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ 1)
        if state == 0 { state = 1 }
        let bw = 8 + seed % 5 * 7, bh = 6 + seed % 7 * 5
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<3 {
                    state ^= state << 13
                    state ^= state >> 17
                    state ^= state << 5
                    let block = ((x / bw) * 37 + (y / bh) * 91 + c * 53 + seed * 17) & 255
                    let grad = (x * 255 / width + y * 128 / height + c * 40) & 255
                    pixels[(y * width + x) * 3 + c] = UInt8((block / 2 + grad / 3 + Int(state & 31)) & 255)
                }
            }
        }
        return pixels
    }

    @Test("bit-exact with Meta's reference (pdqhash) on synthetic images of 15 sizes, every dihedral variant included")
    func synthetic() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pdq-synthetic.tsv")
        let rows = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 30)
        for row in rows {
            let f = row.split(separator: "\t").map(String.init)
            guard f.count == 13, let width = Int(f[1]), let height = Int(f[2]), let seed = Int(f[3]), let quality = Int(f[4]) else {
                Issue.record("bad fixture row \(row)")
                continue
            }
            let results = PDQ.dihedralHashes(rgb: Self.image(width: width, height: height, seed: seed), width: width, height: height)
            if width < 5 || height < 5 {
                #expect(results.map(\.hash.hex) == [String(repeating: "0", count: 64)], "\(f[0])")
                continue
            }
            #expect(results.map(\.hash.hex) == Array(f[5...12]), "\(f[0]) \(width)×\(height)")
            #expect(results.first?.quality == quality, "\(f[0])")
            #expect(PDQ.hash(rgb: Self.image(width: width, height: height, seed: seed), width: width, height: height).hash.hex == f[5])
        }
    }

    @Test("hex round trip, distances, and refusals of malformed hex")
    func hashes() throws {
        let a = try #require(PDQHash(hex: "1049d96239e24d4dca2c55512b8bdb77425f4dbcf575a0a95555aaab5554aaaa"))
        #expect(a.hex == "1049d96239e24d4dca2c55512b8bdb77425f4dbcf575a0a95555aaab5554aaaa")
        #expect(a.distance(to: a) == 0)
        let flipped = try #require(PDQHash(hex: "9049d96239e24d4dca2c55512b8bdb77425f4dbcf575a0a95555aaab5554aaab"))
        #expect(a.distance(to: flipped) == 2)
        #expect(flipped.bit(255) && flipped.bit(0) && !a.bit(0))
        for bad in ["", "1049", String(repeating: "g", count: 64), String(repeating: "A", count: 64), String(repeating: "0", count: 65)] {
            #expect(PDQHash(hex: bad) == nil, "\(bad)")
        }
    }
}

@Suite("PDQ index")
struct PDQIndexTests {
    static let lists = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/detection-fixtures/pdq-hashlists")

    static func read(_ name: String) throws -> [PDQHash] {
        try String(contentsOf: lists.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").map { line in
            try #require(PDQHash(hex: line.trimmingCharacters(in: .whitespaces)), "\(line)")
        }
    }

    @Test("the staged haystack and needles: exactly the brute-force truth at d = 0, 16 and 31, and exactly what a scan returns")
    func stagedLists() throws {
        let haystack = try Self.read("haystack.txt"), needles = try Self.read("needles.txt")
        #expect(haystack.count == 1_350 && needles.count == 100)
        let index = PDQIndex(haystack)
        for (distance, pairs, matched) in [(0, 50, 50), (16, 152, 100), (31, 250, 100)] {
            var pairCount = 0, needleCount = 0
            for needle in needles {
                let found = index.matches(needle, within: distance)
                #expect(found.map(\.position) == index.scan(needle, within: distance).map(\.position))
                pairCount += found.count
                if !found.isEmpty { needleCount += 1 }
            }
            #expect(pairCount == pairs, "d=\(distance)")
            #expect(needleCount == matched, "d=\(distance)")
        }
    }

    @Test("on random hashes and near copies, the index returns what a scan returns at every distance, with every slot count it uses",
          arguments: [nil, 12] as [Int?])
    func randomAgreement(slotCount: Int?) {
        var generator = SystemRandomNumberGenerator()
        let base = (0..<5_000).map { _ in PDQHash(words: (generator.next(), generator.next(), generator.next(), generator.next())) }
        // Near copies: a few to 40 bits flipped.
        let near = base.prefix(1_000).map { hash -> PDQHash in
            var words = [hash.words.0, hash.words.1, hash.words.2, hash.words.3]
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                let bit = Int.random(in: 0..<256, using: &generator)
                words[bit >> 6] ^= 1 << UInt64(bit & 63)
            }
            return PDQHash(words: (words[0], words[1], words[2], words[3]))
        }
        let index = PDQIndex(base + near, slotCount: slotCount)
        #expect(index.slots.count == slotCount ?? 16)
        #expect(index.slots.reduce(0) { $0 + $1.width } == 256)
        for query in base.shuffled().prefix(200) + near.prefix(100) {
            for distance in [0, 8, 15, 16, 31, 32, 47, 48, 70] {
                #expect(index.matches(query, within: distance).map(\.position) == index.scan(query, within: distance).map(\.position), "d=\(distance)")
            }
        }
        var matcher = PDQMatcher(base)
        let late = near[3]
        #expect(!matcher.matches(late, within: 0).contains { $0.distance == 0 && $0.position >= base.count })
        matcher.add(late)
        #expect(matcher.matches(late, within: 0).contains { $0.position == base.count }, "a hash added after the build matches at once")
        #expect(matcher.rebuilt().matches(late, within: 0).map(\.position) == matcher.matches(late, within: 0).map(\.position))
    }

    @Test("the slot count follows the size: 16 slots up to a few million hashes, wider slots beyond, within a memory budget")
    func slotCountBySize() {
        #expect(PDQIndex.slotCount(for: 0) == 16)
        #expect(PDQIndex.slotCount(for: 1_000_000) == 16)
        #expect(PDQIndex.slotCount(for: 10_000_000) == 12)
        #expect(PDQIndex.bits(PDQHash(words: (0, 0, 0, 1 << 63)), 233, 23) == 1 << 22, "the top bit from a slot crossing no word")
        #expect(PDQIndex.bits(PDQHash(words: (1 << 63, 0b101, 0, 0)), 63, 4) == 0b1011, "a slot crossing two words")
    }
}
