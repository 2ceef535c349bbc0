import Testing
@testable import VigilCore

@Suite("Credibility and weights")
struct CredibilityTests {
    let model = CredibilityModel.standard
    let now = Timestamp(milliseconds: 1_700_000_000_000)

    func weight(upheld: Double = 0, dismissed: Double = 0, age: Int? = nil, channel: ReportChannel = .userReport) -> Double {
        model.reportWeight(channel: channel, record: TrackRecord(upheld: upheld, dismissed: dismissed, asOf: now), accountAgeDays: age, at: now)
    }

    @Test("a newcomer is neutral and weighs 1")
    func newcomer() {
        #expect(model.credibility(.newcomer(at: now)) == 0.5)
        #expect(weight() == 1)
    }

    @Test("ten dismissed reports weigh less than 10% of a newcomer")
    func chronicFalseReporter() {
        #expect(weight(dismissed: 10) < 0.1 * weight())
        #expect(weight(dismissed: 10) > 0, "the weight falls towards zero, it is never negative")
    }

    @Test("ten upheld reports weigh more than a newcomer and no more than the cap")
    func reliableReporter() {
        let w = weight(upheld: 10)
        #expect(w > weight())
        #expect(w <= model.maxWeight)
        #expect(weight(upheld: 1_000) == model.maxWeight)
    }

    @Test("weight falls monotonically with dismissals and rises with upheld reports")
    func monotonic() {
        let byDismissed = (0...20).map { weight(dismissed: Double($0)) }
        #expect(zip(byDismissed, byDismissed.dropFirst()).allSatisfy { $0 > $1 })
        let byUpheld = (0...3).map { weight(upheld: Double($0)) }
        #expect(zip(byUpheld, byUpheld.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("a false reporter recovers once they stop", arguments: [180.0, 360, 720])
    func recovery(days: Double) {
        let record = TrackRecord(dismissed: 10, asOf: now)
        let later = now.adding(seconds: days * 86_400)
        let then = model.reportWeight(channel: .userReport, record: record, accountAgeDays: nil, at: now)
        let after = model.reportWeight(channel: .userReport, record: record, accountAgeDays: nil, at: later)
        #expect(after > then)
        #expect(after <= 1)
        let decayed = record.decayed(to: later)
        #expect(abs(decayed.dismissed - 10 * pow2(-days / 180)) < 1e-9)
    }

    func pow2(_ x: Double) -> Double { Foundation.pow(2, x) }

    @Test("new accounts weigh less", arguments: [(0, 0.5), (6, 0.5), (7, 0.75), (29, 0.75), (30, 1.0), (400, 1.0)])
    func accountAge(days: Int, factor: Double) {
        #expect(weight(age: days) == factor)
    }

    @Test("trusted flaggers carry a fixed high weight whatever their record")
    func trustedFlagger() {
        #expect(weight(channel: .trustedFlagger) == model.trustedFlaggerWeight)
        #expect(weight(dismissed: 50, channel: .trustedFlagger) == model.trustedFlaggerWeight)
        #expect(model.trustedFlaggerWeight > model.maxWeight)
    }
}

import Foundation
