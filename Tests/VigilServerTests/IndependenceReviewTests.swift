import Testing
import VigilCore
@testable import VigilServer

/// How the independence review splits a pass into write transactions.
@Suite("Independence review writes")
struct IndependenceReviewTests {
    static func pass(_ subjects: [(String, String)]) -> IndependenceReview.Assessed {
        let nothing = Independence.assess(voices: [], ties: CoReportGraph(), reach: Reach(views: 100), rules: IndependenceRules())
        return IndependenceReview.Assessed(
            cursor: 0, lastEvent: 10, eventsRead: 10,
            subjects: subjects.map { .init(id: $0.0, creatorID: $0.1, voices: [], assessment: nothing) })
    }

    @Test("a creator's subjects share a write, in the order of the creators' first reports; writes stay near their size")
    func writesKeepCreatorsTogether() {
        let assessed = Self.pass([("a1", "a"), ("b1", "b"), ("a2", "a"), ("c1", "c"), ("b2", "b"), ("d1", "d"), ("a3", "a")])
        #expect(assessed.writes(of: 3).map { $0.map(\.id) } == [["a1", "a2", "a3"], ["b1", "b2", "c1"], ["d1"]])
        // A creator with more subjects than a write holds gets a write of their own, not split.
        #expect(assessed.writes(of: 2).map { $0.map(\.id) } == [["a1", "a2", "a3"], ["b1", "b2"], ["c1", "d1"]])
        #expect(assessed.writes(of: 100).map(\.count) == [7])
    }

    @Test("a pass with nothing to assess is one empty write, which moves the cursor")
    func emptyPass() {
        #expect(Self.pass([]).writes(of: 100).map(\.count) == [0])
    }
}
