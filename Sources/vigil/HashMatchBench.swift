import ArgumentParser
import Foundation
import VigilCore

extension Hash {
    /// `vigil hash bench-match`: how fast the bank index answers at a given size, against a linear
    /// scan of the same hashes in the same run (scripts/bench-match.sh).
    struct BenchMatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-match",
            abstract: "Build a PDQ index of N random hashes and time queries of 8 hashes (an image's 8 rotations and flips) at distance 31, "
                + "against a linear scan; prints build time, memory per million, latency percentiles and the speed-up, and checks both agree.")
        @Option(help: "Hashes in the index (1,000–50,000,000).") var hashes = 1_000_000
        @Option(help: "Indexed queries to time (1–1,000,000).") var queries = 2_000
        @Option(help: "Queries to time by linear scan (1–10,000).") var scanQueries = 20
        @Option(help: "Seed of the generated hashes.") var seed: UInt64 = 1
        @Option(help: "Slots per hash, 11 to 16 (default: what the index picks for the size).") var slots: Int?

        func validate() throws {
            guard (1_000...50_000_000).contains(hashes) else { throw ValidationError("--hashes must be from 1000 to 50000000") }
            guard (1...1_000_000).contains(queries) else { throw ValidationError("--queries must be from 1 to 1000000") }
            guard (1...10_000).contains(scanQueries) else { throw ValidationError("--scan-queries must be from 1 to 10000") }
            if let slots, !(11...16).contains(slots) { throw ValidationError("--slots must be from 11 to 16") }
        }

        func run() throws {
            var random = SplitMix(seed: seed)
            let rssBefore = Self.residentBytes()
            var list: [PDQHash] = []
            list.reserveCapacity(hashes)
            for _ in 0..<hashes { list.append(PDQHash(words: (random.next(), random.next(), random.next(), random.next()))) }
            let clock = ContinuousClock()
            let buildStart = clock.now
            let index = PDQIndex(list, slotCount: slots)
            let buildSeconds = Self.seconds(clock.now - buildStart)
            let rssAfter = Self.residentBytes()
            // Half the queries are near copies (0–31 bits flipped) of a hash in the index, half unrelated; each is 8 hashes.
            let batches: [[PDQHash]] = (0..<max(queries, scanQueries)).map { n in
                var batch: [PDQHash] = []
                for variant in 0..<8 {
                    if variant == 0, n % 2 == 0 {
                        var near = list[Int(random.next() % UInt64(list.count))]
                        for _ in 0..<Int(random.next() % 32) { near = Self.flip(near, bit: Int(random.next() % 256)) }
                        batch.append(near)
                    } else {
                        batch.append(PDQHash(words: (random.next(), random.next(), random.next(), random.next())))
                    }
                }
                return batch
            }
            var latencies: [Double] = []
            var found = 0
            let queryStart = clock.now
            for batch in batches.prefix(queries) {
                let start = clock.now
                for hash in batch { found += index.matches(hash, within: PDQ.matchDistance).count }
                latencies.append(Self.seconds(clock.now - start) * 1_000)
            }
            let queryElapsed = Self.seconds(clock.now - queryStart)
            var scanLatencies: [Double] = []
            var disagreements = 0
            for batch in batches.prefix(scanQueries) {
                let start = clock.now
                var scanned: [[Int]] = []
                for hash in batch { scanned.append(index.scan(hash, within: PDQ.matchDistance).map(\.position)) }
                scanLatencies.append(Self.seconds(clock.now - start) * 1_000)
                for (hash, expected) in zip(batch, scanned) where index.matches(hash, within: PDQ.matchDistance).map(\.position) != expected {
                    disagreements += 1
                }
            }
            latencies.sort()
            scanLatencies.sort()
            let perMillion = Double(index.memoryBytes) / Double(hashes) * 1_000_000 / 1_048_576
            let rssPerMillion = Double(max(0, rssAfter - rssBefore)) / Double(hashes) * 1_000_000 / 1_048_576
            print("hashes\t\(hashes) (\(index.slots.count) slots of \(index.slots.map(\.width).min() ?? 0)-\(index.slots.map(\.width).max() ?? 0) bits)")
            print("build\t\(String(format: "%.2f", buildSeconds)) s")
            print("memory\t\(String(format: "%.1f", perMillion)) MiB per million hashes (index arrays); resident growth \(String(format: "%.1f", rssPerMillion)) MiB per million")
            print("index\t\(queries) queries of 8 hashes: p50 \(Self.ms(Self.percentile(latencies, 0.5))) p99 \(Self.ms(Self.percentile(latencies, 0.99))) "
                  + "max \(Self.ms(latencies.last ?? 0)); \(String(format: "%.0f", Double(queries) / queryElapsed)) queries/s; \(found) matches")
            print("scan\t\(scanQueries) queries of 8 hashes: p50 \(Self.ms(Self.percentile(scanLatencies, 0.5))) p99 \(Self.ms(Self.percentile(scanLatencies, 0.99)))")
            print("ratio\tscan p50 / index p50 = \(String(format: "%.1f", Self.percentile(scanLatencies, 0.5) / max(Self.percentile(latencies, 0.5), 1e-9)))x")
            print("agree\t\(disagreements == 0 ? "yes" : "NO: \(disagreements) lookups differ") (index vs scan on \(scanQueries * 8) lookups)")
            if disagreements > 0 { throw ExitCode(1) }
        }

        static func flip(_ hash: PDQHash, bit: Int) -> PDQHash {
            var words = hash.words
            let mask = UInt64(1) << UInt64(bit & 63)
            switch bit >> 6 {
            case 0: words.0 ^= mask
            case 1: words.1 ^= mask
            case 2: words.2 ^= mask
            default: words.3 ^= mask
            }
            return PDQHash(words: words)
        }

        static func percentile(_ sorted: [Double], _ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((Double(sorted.count) * p).rounded(.up)) - 1
            return sorted[min(sorted.count - 1, max(0, rank))]
        }

        static func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }

        static func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }

        /// The process's resident memory, from /proc (0 where there is none).
        static func residentBytes() -> Int {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
                  let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible benchmark data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
