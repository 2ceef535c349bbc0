import SQLKit
import VigilCore

extension StoreSession {
    private static let subjectColumns = [
        "id", "kind", "creator_id", "views", "live_viewers", "title", "body_text", "state", "state_ground", "state_changed_at",
        "media_url", "media_kind",
    ]
    private static let readColumns = subjectColumns + ["reviewed_reasons", "detected_categories"]

    /// The subjects with the given ids that exist, keyed by id.
    public func subjects(ids: some Collection<String>) async throws -> [String: Subject] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns(Self.readColumns).from("subjects").where("id", .in, Array(ids)).all()
        var result: [String: Subject] = [:]
        for row in rows {
            let subject = try Self.decodeSubject(row)
            result[subject.id] = subject
        }
        return result
    }

    public func subject(id: String) async throws -> Subject? {
        try await subjects(ids: [id])[id]
    }

    public func insertSubject(_ subject: Subject, at time: Timestamp) async throws {
        try await sql.insert(into: "subjects")
            .columns(Self.subjectColumns + ["registered_at", "updated_at"])
            .values(
                subject.id, subject.kind.rawValue, subject.creatorID, subject.reach.views, subject.reach.liveViewers,
                subject.title, subject.text, subject.state.rawValue, subject.stateGround, subject.stateChangedAt.milliseconds,
                subject.media?.url, subject.media?.kind.rawValue, time.milliseconds, time.milliseconds)
            .run()
    }

    /// Updates what the platform may change about a subject: reach, descriptive text and media address.
    public func updateSubjectDetails(_ subject: Subject, at time: Timestamp) async throws {
        try await sql.update("subjects")
            .set("views", to: subject.reach.views)
            .set("live_viewers", to: subject.reach.liveViewers)
            .set("title", to: subject.title)
            .set("body_text", to: subject.text)
            .set("media_url", to: subject.media?.url)
            .set("media_kind", to: subject.media?.kind.rawValue)
            .set("updated_at", to: time.milliseconds)
            .where("id", .equal, subject.id)
            .run()
    }

    /// Moves a subject to a new visibility state, recording the policy ground.
    public func setSubjectState(id: String, state: VisibilityState, ground: String?, at time: Timestamp) async throws {
        try await sql.update("subjects")
            .set("state", to: state.rawValue)
            .set("state_ground", to: ground)
            .set("state_changed_at", to: time.milliseconds)
            .set("updated_at", to: time.milliseconds)
            .where("id", .equal, id)
            .run()
    }

    /// Records a decision on the subject: its new state, the reasons ruled on, and scores back to zero
    /// (decided reports are spent; see ``Triage``).
    public func recordDecision(onSubject id: String, state: VisibilityState, ground: String?, reviewedReasons: Set<String>, at time: Timestamp) async throws {
        try await sql.update("subjects")
            .set("state", to: state.rawValue)
            .set("state_ground", to: ground)
            .set("state_changed_at", to: time.milliseconds)
            .set("updated_at", to: time.milliseconds)
            .set("reviewed_reasons", to: reviewedReasons.sorted().joined(separator: " "))
            // Detection's findings are spent with the reports: a new case needs new evidence.
            .set("detected_categories", to: "")
            .where("id", .equal, id)
            .run()
        try await sql.delete(from: "subject_scores").where("subject_id", .equal, id).run()
    }

    /// Records the policy categories live detection rules found in the subject.
    public func setDetectedCategories(subjectID: String, _ categories: Set<String>) async throws {
        try await sql.update("subjects").set("detected_categories", to: categories.sorted().joined(separator: " "))
            .where("id", .equal, subjectID).run()
    }

    private static func decodeSubject(_ row: any SQLRow) throws -> Subject {
        let kindText = try row.decode(column: "kind", as: String.self)
        let stateText = try row.decode(column: "state", as: String.self)
        guard let kind = SubjectKind(rawValue: kindText), let state = VisibilityState(rawValue: stateText) else {
            throw StoreCorruption(detail: "subject row has kind '\(kindText)' and state '\(stateText)'")
        }
        var subject = Subject(
            id: try row.decode(column: "id", as: String.self),
            kind: kind,
            creatorID: try row.decode(column: "creator_id", as: String.self),
            reach: Reach(views: try row.decode(column: "views", as: Int.self), liveViewers: try row.decode(column: "live_viewers", as: Int.self)),
            title: try row.decode(column: "title", as: String?.self),
            text: try row.decode(column: "body_text", as: String?.self),
            state: state,
            stateGround: try row.decode(column: "state_ground", as: String?.self),
            stateChangedAt: Timestamp(milliseconds: try row.decode(column: "state_changed_at", as: Int64.self)))
        if let url = try row.decode(column: "media_url", as: String?.self) {
            let kindText = try row.decode(column: "media_kind", as: String?.self) ?? ""
            guard let kind = MediaReference.Kind(rawValue: kindText) else {
                throw StoreCorruption(detail: "subject '\(subject.id)' has media kind '\(kindText)'")
            }
            subject.media = MediaReference(url: url, kind: kind)
        }
        subject.reviewedReasons = Set(try row.decode(column: "reviewed_reasons", as: String.self).split(separator: " ").map(String.init))
        subject.detectedCategories = Set(try row.decode(column: "detected_categories", as: String.self).split(separator: " ").map(String.init))
        return subject
    }
}

/// A stored row that no code path of Vigil can have written: the database was edited by hand.
public struct StoreCorruption: Error, CustomStringConvertible {
    public var detail: String
    public init(detail: String) { self.detail = detail }
    public var description: String { "database holds an impossible value: \(detail)" }
}
