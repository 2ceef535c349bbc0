import VigilCore

/// What hashing one piece of media did.
public struct HashingOutcome: Sendable {
    public enum Status: String, Sendable {
        /// Hashed, and matched against the banks.
        case ok
        /// Not hashable media (neither an image nor a video).
        case skipped
        /// The media could not be decoded; the detail says why.
        case error
    }

    public var status: Status
    public var detail: String?
    public var type: HashType?
    /// An image's quality (0–100): under 50 its hash is kept but not matched.
    public var quality: Int?
    /// Frames hashed (1 for an image).
    public var frames: Int = 0
    /// A video longer than Vigil hashes: only its beginning was.
    public var truncated = false
    public var matches: [BankMatch] = []

    static func failed(_ error: any Error) -> HashingOutcome {
        HashingOutcome(status: .error, detail: "\(error)")
    }
}

/// Perceptual hashing of subjects' media, and matching against the banks: images with PDQ (the
/// hash and its seven rotations and flips are looked up), videos with vPDQ, hashes the platform
/// computed itself likewise. A match becomes a `hash_match` signal that the rules weigh; the
/// hashes are kept with the subject (so a moderator's removal can bank them), the media is not.
public struct MediaHashing: Sendable {
    let index: BankIndex

    public init(index: BankIndex) {
        self.index = index
    }

    /// Hashes uploaded or fetched media and matches it. `mediaID` identifies it (its SHA-256).
    func hash(_ media: Media, subjectID: String, mediaID: String) async -> (outcome: HashingOutcome, media: SubjectMedia?) {
        if media.contentType.hasPrefix("image/") {
            do {
                let image = try await ImageDecoder.decode(media.bytes)
                let variants = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height)
                guard let original = variants.first else { return (HashingOutcome(status: .error, detail: "no hash"), nil) }
                return (match(image: original.hash, quality: original.quality, variants: variants.map(\.hash), subjectID: subjectID),
                        SubjectMedia(subjectID: subjectID, mediaID: mediaID, type: .pdq,
                                     frames: [HashedFrame(hash: original.hash, quality: original.quality)], recordedAt: Timestamp(milliseconds: 0)))
            } catch {
                return (.failed(error), nil)
            }
        }
        if media.contentType.hasPrefix("video/") {
            do {
                let video = try await VideoHasher.hash(bytes: media.bytes)
                var outcome = match(video: video.frames, subjectID: subjectID)
                outcome.truncated = video.truncated
                return (outcome, SubjectMedia(subjectID: subjectID, mediaID: mediaID, type: .vpdq, frames: video.frames.map {
                    HashedFrame(hash: $0.hash, quality: $0.quality, timestamp: $0.timestamp)
                }, recordedAt: Timestamp(milliseconds: 0)))
            } catch {
                return (.failed(error), nil)
            }
        }
        return (HashingOutcome(status: .skipped, detail: "only images and videos are hashed"), nil)
    }

    /// An image's hash matched against the banks (with its rotations and flips when known). A
    /// hash under the minimum quality is not matched: too flat an image matches too much.
    func match(image hash: PDQHash, quality: Int?, variants: [PDQHash]? = nil, subjectID: String) -> HashingOutcome {
        var outcome = HashingOutcome(status: .ok, type: .pdq, quality: quality, frames: 1)
        guard (quality ?? 100) >= PDQ.minimumQuality else {
            outcome.detail = "quality \(quality ?? 0) is under \(PDQ.minimumQuality): the hash is kept but not matched"
            return outcome
        }
        outcome.matches = index.matches(image: variants ?? [hash], subjectID: subjectID)
        return outcome
    }

    /// A video's frames matched against the banks.
    func match(video frames: [VPDQFrame], subjectID: String) -> HashingOutcome {
        var outcome = HashingOutcome(status: .ok, type: .vpdq, frames: frames.count)
        outcome.matches = index.matches(video: frames, subjectID: subjectID)
        if VPDQ.keptHashes(frames).isEmpty { outcome.detail = "no frame has quality \(PDQ.minimumQuality) or more: nothing was matched" }
        return outcome
    }

    /// The signals a subject's matches make: one per bank content, so the same content matched
    /// again (another upload, a retry) is recorded once. The signal's value is the category the
    /// content was removed for, which the re-upload rules act on.
    static func signals(for matches: [BankMatch], subjectID: String, queryType: HashType) -> [Signal] {
        matches.map { match in
            Signal(source: DetectionWorkflow.builtInSource, id: "bank:\(match.contentID):\(subjectID)", subjectID: subjectID, kind: .hashMatch,
                   label: match.bank, distance: match.distance, value: match.category, model: queryType.rawValue, receivedAt: Timestamp(milliseconds: 0))
        }
    }
}
