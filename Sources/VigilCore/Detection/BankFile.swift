/// The text formats hash lists travel in between trust-and-safety teams: python-threatexchange's
/// signal files (`pdq <hex>` per line, what its local-file exchange reads and HMA's command line
/// writes) and bare lists of hex hashes (ThreatExchange's test lists). Vigil reads both and writes
/// the first.
public enum BankFile {
    /// What reading a file found: the hashes in order (repeats once), and the lines of other signal
    /// types, which a PDQ bank cannot hold, counted by type.
    public struct Contents: Sendable, Equatable {
        public var hashes: [PDQHash]
        public var skipped: [String: Int]
        public var repeats: Int
    }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var detail: String
        public var description: String { "line \(line): \(detail)" }

        public init(line: Int, detail: String) {
            self.line = line
            self.detail = detail
        }
    }

    /// At most this many hashes per file: an import is one transaction.
    public static let maxHashes = 20_000_000

    /// Reads a file. Blank lines and `#` comments are skipped; a malformed line fails the whole
    /// file (naming it), so an import never half-happens.
    public static func parse(_ text: String) throws(Failure) -> Contents {
        var hashes: [PDQHash] = []
        var seen = Set<PDQHash>()
        var skipped: [String: Int] = [:]
        var repeats = 0
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            let hex: Substring
            if fields.count == 1 {
                hex = first
            } else if fields.count == 2 {
                guard first.lowercased() == HashType.pdq.rawValue else {
                    skipped[String(first.prefix(32)), default: 0] += 1
                    continue
                }
                hex = fields[1]
            } else {
                throw Failure(line: number, detail: "expected 'pdq HASH' or 'HASH', found \(fields.count) fields")
            }
            guard let hash = PDQHash(hex: hex.lowercased()) else {
                throw Failure(line: number, detail: "'\(hex.prefix(80))' is not a PDQ hash (64 hex digits)")
            }
            if seen.insert(hash).inserted {
                guard hashes.count < maxHashes else { throw Failure(line: number, detail: "more than \(maxHashes) hashes in one file") }
                hashes.append(hash)
            } else {
                repeats += 1
            }
        }
        return Contents(hashes: hashes, skipped: skipped, repeats: repeats)
    }

    /// One `pdq HASH` line.
    public static func line(_ hash: PDQHash) -> String { "\(HashType.pdq.rawValue) \(hash.hex)" }
}
