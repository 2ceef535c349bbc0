import Foundation
import VigilCore

// Request and response bodies of the signals endpoint. Decoded and encoded one way: ``JSONBody``.

/// The JSON body of `POST /v1/subjects/{id}/signals`: up to 100 signals.
struct SignalsBody: RequestBody {
    static let fields: Set<String> = [
        "signals", "signals[].id", "signals[].source", "signals[].type", "signals[].label", "signals[].score", "signals[].distance",
        "signals[].value", "signals[].model", "signals[].model_version", "signals[].quality", "signals[].frames",
    ]
    static let fractionalFields: Set<String> = ["signals[].score"]
    static let maxSignals = 100
    /// A `vpdq` signal's frames: a request body holds about this many (a 17-minute video at one
    /// frame a second; a longer one is sampled more sparsely, or sent in parts).
    static let maxFrames = 1_000

    struct SignalBody: Decodable {
        var id: String
        var source: String
        var type: String
        var label: String?
        var score: Double?
        var distance: Int?
        var value: String?
        var model: String?
        var modelVersion: String?
        var quality: Int?
        var frames: [String]?

        enum CodingKeys: String, CodingKey {
            case id, source, type, label, score, distance, value, model, quality, frames
            case modelVersion = "model_version"
        }
    }

    var signals: [SignalBody]

    /// The signals, and the hashes of the `pdq` and `vpdq` ones (for matching, and kept with the subject).
    struct Pushed {
        var signals: [Signal]
        var media: [SubjectMedia]
    }

    /// The signals, checked field by field; the first problem names its field (`signals[3].score`).
    func pushed(subjectID: String) throws(VigilError) -> Pushed {
        guard (1...Self.maxSignals).contains(signals.count) else {
            throw .invalidField(field: "signals", detail: "must hold 1 to \(Self.maxSignals) signals")
        }
        var result: [Signal] = []
        var media: [SubjectMedia] = []
        for (index, body) in signals.enumerated() {
            let prefix = "signals[\(index)]."
            try Validate.identifier(body.id, field: prefix + "id")
            try Validate.identifier(body.source, field: prefix + "source")
            if body.source.unicodeScalars.count > Signal.maxLabelLength { throw .invalidField(field: prefix + "source", detail: "must be at most \(Signal.maxLabelLength) characters") }
            if body.source == DetectionWorkflow.builtInSource {
                throw .invalidField(field: prefix + "source", detail: "'\(DetectionWorkflow.builtInSource)' is reserved for Vigil's own classifiers")
            }
            guard let kind = SignalKind(rawValue: body.type) else {
                throw .invalidField(field: prefix + "type", detail: "must be one of: \(SignalKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let hashed = kind == .pdq || kind == .vpdq
            guard let label = body.label ?? (hashed ? kind.rawValue : nil) else { throw .invalidField(field: prefix + "label", detail: "is required") }
            try Validate.identifier(label, field: prefix + "label")
            if label.unicodeScalars.count > Signal.maxLabelLength { throw .invalidField(field: prefix + "label", detail: "must be at most \(Signal.maxLabelLength) characters") }
            if let quality = body.quality {
                guard kind == .pdq else { throw .invalidField(field: prefix + "quality", detail: "belongs to pdq signals only (a vpdq frame line carries its own)") }
                guard (0...100).contains(quality) else { throw .invalidField(field: prefix + "quality", detail: "must be from 0 to 100") }
            }
            if body.frames != nil, kind != .vpdq { throw .invalidField(field: prefix + "frames", detail: "belongs to vpdq signals only") }
            var value = body.value
            if kind == .vpdq {
                if body.value != nil { throw .invalidField(field: prefix + "value", detail: "does not belong to vpdq signals (their frames say it)") }
                let frames = try Self.frames(body.frames, field: prefix + "frames")
                media.append(SubjectMedia(subjectID: subjectID, mediaID: "\(body.source)/\(body.id)", type: .vpdq,
                                          frames: frames.map { HashedFrame(hash: $0.hash, quality: $0.quality, timestamp: $0.timestamp) },
                                          recordedAt: Timestamp(milliseconds: 0)))
                value = "\(frames.count) frames"
            }
            if let value = body.value { try Validate.text(value, field: prefix + "value", max: Signal.maxValueLength) }
            for (text, field) in [(body.model, "model"), (body.modelVersion, "model_version")] {
                if let text { try Validate.text(text, field: prefix + field, max: Signal.maxLabelLength) }
            }
            let signal = Signal(
                source: body.source, id: body.id, subjectID: subjectID, kind: kind, label: label, score: body.score, distance: body.distance,
                value: value, model: body.model, modelVersion: body.modelVersion, receivedAt: Timestamp(milliseconds: 0))
            if let problem = signal.problems(prefix: prefix).first { throw .invalidField(field: problem.field, detail: problem.detail) }
            if kind == .pdq, let hex = body.value, let hash = PDQHash(hex: hex) {
                media.append(SubjectMedia(subjectID: subjectID, mediaID: "\(body.source)/\(body.id)", type: .pdq,
                                          frames: [HashedFrame(hash: hash, quality: body.quality)], recordedAt: Timestamp(milliseconds: 0)))
            }
            result.append(signal)
        }
        return Pushed(signals: result, media: media)
    }

    /// A vpdq signal's frames, `frame,quality,hash,timestamp` each, as the reference writes them.
    static func frames(_ lines: [String]?, field: String) throws(VigilError) -> [VPDQFrame] {
        guard let lines, (1...maxFrames).contains(lines.count) else {
            throw .invalidField(field: field, detail: "must hold 1 to \(maxFrames) lines 'frame,quality,hash,timestamp'")
        }
        var frames: [VPDQFrame] = []
        for (index, line) in lines.enumerated() {
            guard line.utf8.count <= 200, let frame = VPDQFrame(line: Substring(line)) else {
                throw .invalidField(field: "\(field)[\(index)]", detail: "must be 'frame,quality,hash,timestamp' (quality 0-100, hash 64 lowercase hex digits)")
            }
            frames.append(frame)
        }
        return frames
    }
}

/// What the platform is told after pushing signals: how many were new, and the subject's state.
struct SignalsView: Encodable {
    var recorded: Int
    var duplicates: Int
    var subjectState: String

    enum CodingKeys: String, CodingKey {
        case recorded, duplicates
        case subjectState = "subject_state"
    }

    init(_ outcome: DetectionOutcome) {
        recorded = outcome.recorded
        duplicates = outcome.duplicates
        subjectState = outcome.state.rawValue
    }
}

/// The JSON body of `POST /v1/subjects/{id}/media` when Vigil is to fetch the media.
struct MediaBody: RequestBody {
    static let fields: Set<String> = ["media_url"]
    var mediaURL: String

    enum CodingKeys: String, CodingKey { case mediaURL = "media_url" }
}

/// What became of media: its size and digest, each classifier's answer, and the signals recorded.
struct MediaView: Encodable {
    struct Call: Encodable {
        struct Label: Encodable {
            var label: String
            var score: Double
        }

        var classifier: String
        var status: String
        var detail: String?
        var model: String?
        var modelVersion: String?
        var labels: [Label]
    }

    var contentType: String
    var bytes: Int
    var sha256: String
    var classifiers: [Call]
    var hashing: Hashing
    var recorded: Int
    var duplicates: Int
    var subjectState: String

    init(_ outcome: MediaOutcome) {
        contentType = outcome.contentType
        bytes = outcome.bytes
        sha256 = outcome.sha256
        classifiers = outcome.calls.map {
            Call(classifier: $0.classifier, status: $0.status.rawValue, detail: $0.detail, model: $0.model, modelVersion: $0.modelVersion,
                 labels: $0.labels.map { Call.Label(label: $0.label, score: $0.score) })
        }
        hashing = Hashing(outcome.hashing)
        recorded = outcome.detection.recorded
        duplicates = outcome.detection.duplicates
        subjectState = outcome.detection.state.rawValue
    }

    /// What hashing the media did, and the banks it matched (for the platform's operators: the
    /// creator's statement names only the policy ground).
    struct Hashing: Encodable {
        struct Match: Encodable {
            var bank: String
            var contentId: String
            var distance: Int
            var queryPercent: Double?
            var comparedPercent: Double?
        }

        var status: String
        var detail: String?
        var type: String?
        var quality: Int?
        var frames: Int
        var truncated: Bool
        var matches: [Match]

        init(_ outcome: HashingOutcome) {
            status = outcome.status.rawValue
            detail = outcome.detail
            type = outcome.type?.rawValue
            quality = outcome.quality
            frames = outcome.frames
            truncated = outcome.truncated
            matches = outcome.matches.map {
                Match(bank: $0.bank, contentId: $0.contentID, distance: $0.distance, queryPercent: $0.queryPercent, comparedPercent: $0.comparedPercent)
            }
        }
    }
}
