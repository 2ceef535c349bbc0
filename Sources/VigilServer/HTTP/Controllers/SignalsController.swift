import Hummingbird
import VigilCore

/// `POST /v1/subjects/{id}/signals` (scope `signals:write`): the platform's own classifier scores,
/// hash matches, text matches, metadata, and perceptual hashes it computed (`pdq`, `vpdq`, which
/// Vigil matches against its banks) about a subject, batched and idempotent per `(source, id)`.
/// The rules are evaluated on them before the answer.
struct SignalsController {
    let detection: DetectionWorkflow
    let hashing: MediaHashing

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("subjects/{id}/signals", use: record)
    }

    @Sendable func record(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.signalsWrite)
        let id = try context.pathID("id")
        let (body, _) = try await JSONBody.decode(SignalsBody.self, from: request, context: context)
        let pushed = try body.pushed(subjectID: id)
        var signals = pushed.signals
        for media in pushed.media {
            switch media.type {
            case .pdq:
                guard let frame = media.frames.first else { continue }
                let outcome = hashing.match(image: frame.hash, quality: frame.quality, subjectID: id)
                signals += MediaHashing.signals(for: outcome.matches, subjectID: id, queryType: .pdq)
            case .vpdq:
                let frames = media.frames.enumerated().map { VPDQFrame(frame: $0.offset, quality: $0.element.quality ?? 100, hash: $0.element.hash,
                                                                       timestamp: $0.element.timestamp ?? 0) }
                signals += MediaHashing.signals(for: hashing.match(video: frames, subjectID: id).matches, subjectID: id, queryType: .vpdq)
            }
        }
        let outcome = try await detection.record(subjectID: id, signals: signals, media: pushed.media)
        return try JSONBody.response(SignalsView(outcome), status: outcome.recorded > 0 ? .created : .ok)
    }
}
