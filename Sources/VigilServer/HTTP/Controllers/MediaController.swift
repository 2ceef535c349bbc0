import Hummingbird
import VigilCore

/// `POST /v1/subjects/{id}/media` (scope `signals:write`): media for the external classifiers,
/// either uploaded (an `image/*` or `video/*` body) or as `{"media_url": ...}` for Vigil to fetch.
/// Answered once the classifiers answered (or timed out) and their signals are committed.
struct MediaController {
    let media: MediaWorkflow

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.post("subjects/{id}/media", use: handle)
    }

    @Sendable func handle(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.require(.signalsWrite)
        let id = try context.pathID("id")
        let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let item: Media
        if contentType == "application/json" {
            let (body, _) = try await JSONBody.decode(MediaBody.self, from: request, context: context)
            item = try await media.fetch(body.mediaURL)
        } else if contentType.hasPrefix("image/") || contentType.hasPrefix("video/") {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: media.maxBytes)
            } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
                throw VigilError.payloadTooLarge(limitBytes: media.maxBytes)
            }
            guard buffer.readableBytes > 0 else { throw VigilError.malformedBody(detail: "the upload is empty") }
            item = Media(bytes: Array(buffer.readableBytesView), contentType: contentType)
        } else {
            throw VigilError.unsupportedMediaType(expected: "image/*, video/* (an upload) or application/json ({\"media_url\": ...})")
        }
        return try JSONBody.response(MediaView(try await media.handle(subjectID: id, media: item)))
    }
}
