import Foundation
import VigilCore

/// Vigil's own classifiers, shipped as resources of this target.
public enum BuiltInClassifiers {
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// alt-profanity-check's model (MIT licence), exported by `scripts/detection/export-profanity-model.py`.
    /// Read once: parsing the 15,000-term model takes tens of milliseconds.
    public static func text() throws -> LinearTextClassifier {
        try loaded.get()
    }

    private static let loaded: Result<LinearTextClassifier, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "profanity-model", withExtension: "tsv") else {
            throw Unavailable(description: "the built-in text classifier's model (profanity-model.tsv) is missing from Vigil's resources")
        }
        return try LinearTextClassifier(exported: String(contentsOf: url, encoding: .utf8))
    }
}
