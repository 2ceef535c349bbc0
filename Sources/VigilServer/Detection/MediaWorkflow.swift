import Crypto
import Foundation
import VigilCore
import VigilStore

/// What handling one piece of media did: the classifiers' answers, and the signals and rule
/// matches they brought.
public struct MediaOutcome: Sendable {
    public var contentType: String
    public var bytes: Int
    /// The media's SHA-256: what identifies it in signal ids (the bytes themselves are not kept).
    public var sha256: String
    public var calls: [ClassifierCall]
    public var hashing: HashingOutcome
    public var detection: DetectionOutcome
}

/// Media the platform hands to Vigil (uploaded, or fetched from a URL the platform gives): sent to
/// the external classifiers, whose labels become signals the rules weigh, and hashed (PDQ, vPDQ)
/// and matched against the banks at the same time. The bytes live in memory for the request (a
/// video also, for ffmpeg, in a private temporary file removed at once) and are never kept.
public struct MediaWorkflow: Sendable {
    let store: Store
    let detection: DetectionWorkflow
    let classifiers: ExternalClassifiers
    let hashing: MediaHashing

    public init(store: Store, detection: DetectionWorkflow, classifiers: ExternalClassifiers, hashing: MediaHashing) {
        self.store = store
        self.detection = detection
        self.classifiers = classifiers
        self.hashing = hashing
    }

    public func handle(subjectID: String, media: Media) async throws -> MediaOutcome {
        guard let subject = try await store.read({ try await $0.subject(id: subjectID) }) else {
            throw VigilError.notFound(resource: "subject", id: subjectID)
        }
        let digest = Hex.encode(SHA256.hash(data: media.bytes))
        async let classified = classifiers.classify(media, subjectKind: subject.kind)
        let (hashed, hashes) = await hashing.hash(media, subjectID: subject.id, mediaID: digest)
        let calls = await classified
        // One signal per label; the id names the subject and the media, so the same media is recorded once per subject.
        let signals = calls.filter { $0.status == .ok }.flatMap { call in
            call.labels.map { label in
                Signal(source: call.classifier, id: "\(label.label):\(subject.id):\(digest.prefix(32))", subjectID: subject.id, kind: .classifier,
                       label: label.label, score: label.score, model: call.model, modelVersion: call.modelVersion, receivedAt: Timestamp(milliseconds: 0))
            }
        }
        + MediaHashing.signals(for: hashed.matches, subjectID: subject.id, queryType: hashed.type ?? .pdq)
        let outcome = signals.isEmpty && hashes == nil
            ? DetectionOutcome(recorded: 0, duplicates: 0, state: subject.state, matches: [])
            : try await detection.record(subjectID: subject.id, signals: signals, media: hashes.map { [$0] } ?? [])
        return MediaOutcome(contentType: media.contentType, bytes: media.bytes.count, sha256: digest, calls: calls, hashing: hashed, detection: outcome)
    }

    /// Fetches media from a URL the platform gives, with the guards of ``ExternalClassifiers/fetch(_:)``.
    public func fetch(_ url: String) async throws -> Media {
        try await classifiers.fetch(url)
    }

    public var maxBytes: Int { classifiers.settings.media.maxBytes }
}
