import Testing
import VigilCore

@Suite("Identifiers")
struct IdentifierTests {
    @Test("ids sort by time, carry 80 random bits in 16 characters, and do not repeat")
    func shape() {
        let alphabet = Set("0123456789abcdefghjkmnpqrstvwxyz")
        let time = Timestamp(milliseconds: 1_780_000_000_000)
        let ids = (0..<20_000).map { _ in Identifier.make(prefix: "rpt", at: time) }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            #expect(id.hasPrefix("rpt_") && id.count == 4 + 26)
            #expect(id.dropFirst(4).allSatisfy(alphabet.contains))
        }
        // Every random position takes every one of the 32 characters: no position is stuck.
        for position in 14..<30 {
            let seen = Set(ids.map { $0[$0.index($0.startIndex, offsetBy: position)] })
            #expect(seen.count == 32, "position \(position)")
        }
        #expect(Identifier.make(prefix: "x", at: time) < Identifier.make(prefix: "x", at: time.adding(seconds: 0.001)))
    }
}
