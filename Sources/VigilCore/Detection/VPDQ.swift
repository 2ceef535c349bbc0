import Foundation

/// One hashed frame of a video: vPDQ is PDQ on frames sampled from a video (one a second by
/// default), matched as a bag of frames.
public struct VPDQFrame: Sendable, Equatable {
    /// The frame's number in the decoded stream (0-based).
    public var frame: Int
    public var quality: Int
    public var hash: PDQHash
    /// Seconds from the start of the video.
    public var timestamp: Double

    public init(frame: Int, quality: Int, hash: PDQHash, timestamp: Double) {
        self.frame = frame
        self.quality = quality
        self.hash = hash
        self.timestamp = timestamp
    }

    /// The reference's line: `frame,quality,hash,timestamp` with the timestamp to 3 decimals.
    public var line: String {
        let millis = (timestamp * 1_000).rounded()
        let whole = Int(millis / 1_000), fraction = Int(millis.truncatingRemainder(dividingBy: 1_000))
        let padded = String(fraction)
        return "\(frame),\(quality),\(hash.hex),\(whole).\(String(repeating: "0", count: 3 - padded.count))\(padded)"
    }

    /// Parses a `frame,quality,hash,timestamp` line; nil when it is not one.
    public init?(line: Substring) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 4, let frame = Int(fields[0]), frame >= 0, let quality = Int(fields[1]), (0...100).contains(quality),
              let hash = PDQHash(hex: String(fields[2])), let timestamp = Double(fields[3]), timestamp.isFinite, timestamp >= 0
        else { return nil }
        self.init(frame: frame, quality: quality, hash: hash, timestamp: timestamp)
    }
}

/// vPDQ's matcher: the share of one video's frames that have a near frame in the other, both ways.
/// Order and timestamps are ignored, so a clip matches inside a longer video.
public enum VPDQ {
    /// Below this share of the query's frames (in percent) two videos are not a match (pytx's default).
    public static let matchPercent = 80.0
    /// Frames hashed per second of video by default.
    public static let framesPerSecond = 1.0

    /// How two videos compare.
    public struct Comparison: Sendable, Equatable {
        /// The share of the query's (kept) frames within the distance of some compared frame, in percent.
        public var queryPercent: Double
        /// The share of the compared video's (kept) frames within the distance of some query frame.
        public var comparedPercent: Double
        /// The largest of the matched query frames' nearest distances (nil when no frame matched).
        public var worstMatchedDistance: Int?

        public var isMatch: Bool { queryPercent >= VPDQ.matchPercent }
    }

    /// How frames are compared: python-threatexchange's semantics (duplicate hashes removed, a frame
    /// within the distance inclusive), the default; or the C++ matcher's (no deduplication, strictly
    /// under the distance).
    public struct Semantics: Sendable, Equatable {
        public var removeDuplicates: Bool
        public var inclusive: Bool
        public var distance: Int
        public var minimumQuality: Int

        public static let pytx = Semantics(removeDuplicates: true, inclusive: true, distance: PDQ.matchDistance, minimumQuality: PDQ.minimumQuality)
        public static let cpp = Semantics(removeDuplicates: false, inclusive: false, distance: PDQ.matchDistance, minimumQuality: PDQ.minimumQuality)
    }

    /// Compares two videos' frames.
    public static func compare(query: [VPDQFrame], compared: [VPDQFrame], semantics: Semantics = .pytx) -> Comparison {
        compare(kept: keptHashes(query, semantics), against: keptHashes(compared, semantics), semantics: semantics)
    }

    /// Compares two videos' frame hashes already filtered by ``keptHashes(_:_:)`` (a bank holds only those).
    public static func compare(kept q: [PDQHash], against c: [PDQHash], semantics: Semantics = .pytx) -> Comparison {
        let (queryMatched, worst) = matched(q, against: c, semantics)
        let (comparedMatched, _) = matched(c, against: q, semantics)
        return Comparison(queryPercent: percent(queryMatched, of: q.count), comparedPercent: percent(comparedMatched, of: c.count),
                          worstMatchedDistance: worst)
    }

    /// The hashes of the frames a comparison uses: quality at least the minimum, exact duplicates
    /// once under pytx's semantics.
    public static func keptHashes(_ frames: [VPDQFrame], _ semantics: Semantics = .pytx) -> [PDQHash] {
        var seen = Set<PDQHash>()
        var kept: [PDQHash] = []
        for frame in frames where frame.quality >= semantics.minimumQuality {
            if semantics.removeDuplicates, !seen.insert(frame.hash).inserted { continue }
            kept.append(frame.hash)
        }
        return kept
    }

    /// How many of `hashes` have a frame of `others` within the distance, and the largest of their nearest distances.
    static func matched(_ hashes: [PDQHash], against others: [PDQHash], _ semantics: Semantics) -> (count: Int, worst: Int?) {
        var count = 0
        var worst: Int?
        for hash in hashes {
            var nearest = Int.max
            for other in others {
                let d = hash.distance(to: other)
                if d < nearest { nearest = d }
                if nearest == 0 { break }
            }
            if semantics.inclusive ? nearest <= semantics.distance : nearest < semantics.distance {
                count += 1
                worst = max(worst ?? 0, nearest)
            }
        }
        return (count, worst)
    }

    static func percent(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) * 100 / Double(whole)
    }

    /// Parses a vPDQ hash file (a `frame,quality,hash,timestamp` line per frame; blank lines and
    /// `#` comments skipped). Throws naming the first bad line.
    public static func parse(_ text: String) throws -> [VPDQFrame] {
        var frames: [VPDQFrame] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let frame = VPDQFrame(line: Substring(trimmed)) else {
                throw ParseFailure(line: number + 1, detail: "is not 'frame,quality,hash,timestamp'")
            }
            frames.append(frame)
        }
        return frames
    }

    public struct ParseFailure: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var detail: String
        public var description: String { "line \(line) \(detail)" }
    }
}
