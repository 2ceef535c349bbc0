import Foundation
import VigilCore
import VigilStore

// Request and response bodies of the subject endpoints. Decoded and encoded one way: ``JSONBody``.

/// The JSON body of `PUT /v1/subjects/{id}`.
struct SubjectBody: RequestBody {
    static let fields: Set<String> = ["kind", "creator_id", "reach", "reach.views", "reach.live_viewers", "title", "text", "media", "media.url", "media.type"]

    struct ReachBody: Decodable {
        var views: Int?
        var liveViewers: Int?

        enum CodingKeys: String, CodingKey {
            case views
            case liveViewers = "live_viewers"
        }
    }

    struct MediaBody: Decodable {
        var url: String
        var type: String?
    }

    var kind: String
    var creatorID: String
    var reach: ReachBody?
    var title: String?
    var text: String?
    var media: MediaBody?

    enum CodingKeys: String, CodingKey {
        case kind, reach, title, text, media
        case creatorID = "creator_id"
    }

    func registration(id: String) throws(VigilError) -> SubjectWorkflow.Registration {
        guard let kind = SubjectKind(rawValue: kind) else {
            throw .invalidField(field: "kind", detail: "must be one of: \(SubjectKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try Validate.identifier(creatorID, field: "creator_id")
        let views = reach?.views ?? 0
        let live = reach?.liveViewers ?? 0
        for (value, field) in [(views, "reach.views"), (live, "reach.live_viewers")] where !(0...Reach.maxCount).contains(value) {
            throw .invalidField(field: field, detail: "must be from 0 to \(Reach.maxCount)")
        }
        if kind != .live, live > 0 { throw .invalidField(field: "reach.live_viewers", detail: "only a live subject has live viewers") }
        if let title { try Validate.text(title, field: "title", max: 1_000) }
        if let text { try Validate.optionalText(text, field: "text", max: 10_000) }
        var reference: MediaReference?
        if let media {
            if let problem = MediaReference.problem(withURL: media.url) { throw .invalidField(field: "media.url", detail: problem) }
            guard let mediaKind = MediaReference.Kind(rawValue: media.type ?? MediaReference.Kind.image.rawValue) else {
                throw .invalidField(field: "media.type", detail: "must be one of: \(MediaReference.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            reference = MediaReference(url: media.url, kind: mediaKind)
        }
        return .init(id: id, kind: kind, creatorID: creatorID, reach: Reach(views: views, liveViewers: live), title: title, text: text, media: reference)
    }
}

/// What the platform may show the creator about a subject: its state and the enforcement facts.
/// By construction it has no field for reporters, their number, or when they reported.
struct SubjectView: Encodable {
    struct Restriction: Encodable {
        var state: String
        var ground: String?
        var groundTitle: String?
        var since: String

        enum CodingKeys: String, CodingKey {
            case state, ground, since
            case groundTitle = "ground_title"
        }
    }

    var id: String
    var kind: String
    var creatorID: String
    var state: String
    var restriction: Restriction?
    var title: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, state, restriction, title
        case creatorID = "creator_id"
    }

    init(_ subject: Subject, policy: Policy) {
        id = subject.id
        kind = subject.kind.rawValue
        creatorID = subject.creatorID
        state = subject.state.rawValue
        title = subject.title
        if subject.state != .visible {
            restriction = Restriction(
                state: subject.state.rawValue, ground: subject.stateGround,
                groundTitle: subject.stateGround.flatMap { policy.category($0)?.title }, since: subject.stateChangedAt.hourFloor.iso8601)
        }
    }
}
