import Foundation
import VigilCore

// Request and response bodies of the signals endpoint. Decoded and encoded one way: ``JSONBody``.

/// The JSON body of `POST /v1/subjects/{id}/signals`: up to 100 signals.
struct SignalsBody: RequestBody {
    static let fields: Set<String> = [
        "signals", "signals[].id", "signals[].source", "signals[].type", "signals[].label", "signals[].score", "signals[].distance",
        "signals[].value", "signals[].model", "signals[].model_version",
    ]
    static let fractionalFields: Set<String> = ["signals[].score"]
    static let maxSignals = 100

    struct SignalBody: Decodable {
        var id: String
        var source: String
        var type: String
        var label: String
        var score: Double?
        var distance: Int?
        var value: String?
        var model: String?
        var modelVersion: String?

        enum CodingKeys: String, CodingKey {
            case id, source, type, label, score, distance, value, model
            case modelVersion = "model_version"
        }
    }

    var signals: [SignalBody]

    /// The signals, checked field by field; the first problem names its field (`signals[3].score`).
    func signals(subjectID: String) throws(VigilError) -> [Signal] {
        guard (1...Self.maxSignals).contains(signals.count) else {
            throw .invalidField(field: "signals", detail: "must hold 1 to \(Self.maxSignals) signals")
        }
        var result: [Signal] = []
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
            try Validate.identifier(body.label, field: prefix + "label")
            if body.label.unicodeScalars.count > Signal.maxLabelLength { throw .invalidField(field: prefix + "label", detail: "must be at most \(Signal.maxLabelLength) characters") }
            if let value = body.value { try Validate.text(value, field: prefix + "value", max: Signal.maxValueLength) }
            for (text, field) in [(body.model, "model"), (body.modelVersion, "model_version")] {
                if let text { try Validate.text(text, field: prefix + field, max: Signal.maxLabelLength) }
            }
            let signal = Signal(
                source: body.source, id: body.id, subjectID: subjectID, kind: kind, label: body.label, score: body.score, distance: body.distance,
                value: body.value, model: body.model, modelVersion: body.modelVersion, receivedAt: Timestamp(milliseconds: 0))
            if let problem = signal.problems(prefix: prefix).first { throw .invalidField(field: problem.field, detail: problem.detail) }
            result.append(signal)
        }
        return result
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
        recorded = outcome.detection.recorded
        duplicates = outcome.detection.duplicates
        subjectState = outcome.detection.state.rawValue
    }
}
