/// What kind of fact a signal states about a subject's content.
public enum SignalKind: String, Codable, Sendable, CaseIterable {
    /// A model's label and score (0 to 1), with the model's name and version.
    case classifier
    /// A perceptual hash matched a bank of known content, at a Hamming distance.
    case hashMatch = "hash_match"
    /// The subject's text matched a term list.
    case textMatch = "text_match"
    /// A fact the platform knows about the content (an upload client, a region), as a key and value.
    case metadata
    /// A PDQ hash the platform computed of an image of the content (the hash in `value`): Vigil
    /// matches it against its banks, and the matches are `hash_match` signals.
    case pdq
    /// A video's vPDQ frame hashes the platform computed (kept with the subject's media; `value`
    /// says how many frames): matched like ``pdq``.
    case vpdq
}

/// A typed fact about a subject's content, from the platform's models, Vigil's built-in
/// classifiers, external classifiers or hash matching. Signals are kept as they arrived
/// (append-only); rules read them.
public struct Signal: Sendable, Equatable {
    /// Who produced it (`vigil` for Vigil's own classifiers, else the platform's name for its model or service).
    public var source: String
    /// The producer's id for it: a signal is recorded once per `(source, id)`.
    public var id: String
    public var subjectID: String
    public var kind: SignalKind
    /// The classifier label, the hash bank, the term list or the metadata key.
    public var label: String
    /// A classifier's score, from 0 to 1.
    public var score: Double?
    /// A hash match's Hamming distance.
    public var distance: Int?
    /// A metadata value, the term a text matched, the category of a matched bank content, or a PDQ hash.
    public var value: String?
    public var model: String?
    public var modelVersion: String?
    public var receivedAt: Timestamp

    public init(source: String, id: String, subjectID: String, kind: SignalKind, label: String, score: Double? = nil, distance: Int? = nil,
                value: String? = nil, model: String? = nil, modelVersion: String? = nil, receivedAt: Timestamp) {
        self.source = source
        self.id = id
        self.subjectID = subjectID
        self.kind = kind
        self.label = label
        self.score = score
        self.distance = distance
        self.value = value
        self.model = model
        self.modelVersion = modelVersion
        self.receivedAt = receivedAt
    }

    /// The largest Hamming distance a 256-bit hash can have.
    public static let maxDistance = 256
    /// Bounds on the strings a signal carries, so a stored signal stays small.
    public static let maxLabelLength = 128
    public static let maxValueLength = 1_000

    /// The problems with a signal's fields for its kind (each names the field), or none.
    public func problems(prefix: String) -> [(field: String, detail: String)] {
        var found: [(String, String)] = []
        switch kind {
        case .classifier:
            if score == nil { found.append(("\(prefix)score", "is required for a classifier signal")) }
            if model == nil { found.append(("\(prefix)model", "is required for a classifier signal")) }
        case .hashMatch:
            if distance == nil { found.append(("\(prefix)distance", "is required for a hash_match signal")) }
        case .textMatch, .metadata:
            if value == nil { found.append(("\(prefix)value", "is required for a \(kind.rawValue) signal")) }
        case .pdq:
            if value.flatMap(PDQHash.init(hex:)) == nil { found.append(("\(prefix)value", "must be a PDQ hash: 64 lowercase hex digits")) }
        case .vpdq:
            break
        }
        if let score, !(score.isFinite && (0...1).contains(score)) { found.append(("\(prefix)score", "must be a number from 0 to 1")) }
        if let distance, !(0...Self.maxDistance).contains(distance) { found.append(("\(prefix)distance", "must be from 0 to \(Self.maxDistance)")) }
        if score != nil, kind != .classifier { found.append(("\(prefix)score", "belongs to classifier signals only")) }
        if distance != nil, kind != .hashMatch { found.append(("\(prefix)distance", "belongs to hash_match signals only")) }
        if value != nil, kind == .classifier { found.append(("\(prefix)value", "does not belong to classifier signals (their label and score say it)")) }
        return found
    }
}
