import Crypto
import Foundation

/// A named list of known content's perceptual hashes that media is matched against, as HMA keeps
/// them: `confirmed-removals` (fed by moderators' removals), or a partner's list imported from a
/// file. A bank can be switched off at once (``enabled``, the kill switch) or rolled out to a share
/// of subjects (``enabledRatio``).
public struct HashBank: Sendable, Equatable {
    public var name: String
    public var description: String?
    /// The kill switch: a disabled bank matches nothing, whatever its ratio.
    public var enabled: Bool
    /// The share of subjects (0 to 1) whose media is matched against the bank, for a gradual rollout.
    public var enabledRatio: Double
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(name: String, description: String? = nil, enabled: Bool = true, enabledRatio: Double = 1, createdAt: Timestamp, updatedAt: Timestamp) {
        self.name = name
        self.description = description
        self.enabled = enabled
        self.enabledRatio = enabledRatio
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The bank moderators' confirmed removals feed, so that a re-upload is caught on arrival.
    public static let confirmedRemovals = "confirmed-removals"
    public static let maxDescriptionLength = 500

    /// Whether a bank name is acceptable: 1 to 64 of `a-z 0-9 - _`, starting with a letter or digit.
    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...64).contains(scalars.count), let first = scalars.first, CharacterSet.lowercaseLetters.contains(first) || ("0"..."9").contains(first)
        else { return false }
        return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Whether the bank's matches count for a subject. The roll-out draw is a digest of the bank
    /// and the subject, not a coin tossed per lookup: the same subject gets the same answer on
    /// every node and every retry, and raising the ratio only ever adds subjects.
    public func matches(subjectID: String) -> Bool {
        guard enabled, enabledRatio > 0 else { return false }
        guard enabledRatio < 1 else { return true }
        return Self.draw(bank: name, subjectID: subjectID) < enabledRatio
    }

    /// A number in [0, 1) fixed by the bank and the subject.
    static func draw(bank: String, subjectID: String) -> Double {
        let digest = SHA256.hash(data: Data("\(bank)\u{0}\(subjectID)".utf8))
        let top = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(top >> 11) / Double(UInt64(1) << 53)
    }
}

/// The kind of hash a bank entry or a subject's media holds.
public enum HashType: String, Codable, Sendable, CaseIterable {
    /// One PDQ hash of an image (or a thumbnail, a cover).
    case pdq
    /// A video's PDQ frame hashes (vPDQ), matched as a bag of frames.
    case vpdq
}

/// A perceptual hash with the quality of what it was computed from, and for a video frame its time.
public struct HashedFrame: Sendable, Equatable {
    public var hash: PDQHash
    /// 0–100; nil when unknown (an imported list carries none), which matching treats as trusted.
    public var quality: Int?
    /// Seconds from the start of the video, for a vPDQ frame.
    public var timestamp: Double?

    public init(hash: PDQHash, quality: Int?, timestamp: Double? = nil) {
        self.hash = hash
        self.quality = quality
        self.timestamp = timestamp
    }

    /// Whether the hash is good enough to match with (quality unknown or at least ``PDQ/minimumQuality``).
    public var isTrusted: Bool { (quality ?? 100) >= PDQ.minimumQuality }
}

/// Where a bank entry came from.
public enum BankSource: String, Codable, Sendable {
    /// A moderator's decision that the subject violated a policy (`confirmed-removals`).
    case decision
    /// A file imported by an operator (`vigil banks import`).
    case `import`
}

/// One piece of known content in a bank: an image's PDQ hash or a video's vPDQ frames, with its
/// provenance. Entries are never edited; one is withdrawn (a granted appeal, an operator) by
/// marking it removed, with the reason, so the bank's history stays whole.
public struct BankContent: Sendable, Equatable {
    public var id: String
    public var bank: String
    public var type: HashType
    public var frames: [HashedFrame]
    public var source: BankSource
    /// The decision's id, or the import's label (the file's name and digest).
    public var reference: String
    /// The subject the content was removed from (for `decision` entries).
    public var subjectID: String?
    /// The policy category it violated, when known: what a re-upload's takedown rests on.
    public var category: String?
    public var addedAt: Timestamp
    public var removedAt: Timestamp?
    public var removalReason: String?

    public init(id: String, bank: String, type: HashType, frames: [HashedFrame], source: BankSource, reference: String, subjectID: String?,
                category: String?, addedAt: Timestamp, removedAt: Timestamp? = nil, removalReason: String? = nil) {
        self.id = id
        self.bank = bank
        self.type = type
        self.frames = frames
        self.source = source
        self.reference = reference
        self.subjectID = subjectID
        self.category = category
        self.addedAt = addedAt
        self.removedAt = removedAt
        self.removalReason = removalReason
    }
}

/// The hashes Vigil holds for a subject's media: computed from media the platform handed over, or
/// pushed by the platform as `pdq`/`vpdq` signals. A moderator's removal copies them into the
/// `confirmed-removals` bank. Only hashes: the media itself is never kept.
public struct SubjectMedia: Sendable, Equatable {
    public var subjectID: String
    /// What identifies the media: its SHA-256 for media Vigil hashed, `source/id` for a pushed signal.
    public var mediaID: String
    public var type: HashType
    public var frames: [HashedFrame]
    public var recordedAt: Timestamp

    public init(subjectID: String, mediaID: String, type: HashType, frames: [HashedFrame], recordedAt: Timestamp) {
        self.subjectID = subjectID
        self.mediaID = mediaID
        self.type = type
        self.frames = frames
        self.recordedAt = recordedAt
    }
}
