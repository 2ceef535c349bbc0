import Foundation

/// A subject's weighted score in one policy category.
public struct CategoryScoreKey: Hashable, Sendable {
    public var subjectID: String
    public var category: String

    public init(subjectID: String, category: String) {
        self.subjectID = subjectID
        self.category = category
    }
}

/// A subject's running score in one category and how many counted reports built it.
public struct CategoryScore: Sendable, Equatable {
    public var score: Double
    public var countedReports: Int

    public init(score: Double, countedReports: Int) {
        self.score = score
        self.countedReports = countedReports
    }
}
