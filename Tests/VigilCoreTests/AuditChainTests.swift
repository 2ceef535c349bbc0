import Testing
@testable import VigilCore

@Suite("Audit chain")
struct AuditChainTests {
    func chain(_ count: Int) -> [AuditEvent] {
        let drafts = (0..<count).map { i in
            AuditEventDraft(type: .reportReceived, subjectID: "s\(i % 3)", payload: "{\"n\":\(i)}", occurredAt: Timestamp(milliseconds: Int64(1_000 + i)))
        }
        return AuditChain.link(drafts, afterSeq: 0, hash: AuditChain.genesis)
    }

    func verify(_ events: [AuditEvent], head: (Int64, String)? = nil) -> AuditChainVerifier.Failure? {
        var verifier = AuditChainVerifier()
        for event in events {
            if let failure = verifier.check(event) { return failure }
        }
        let (seq, hash) = head ?? (events.last?.seq ?? 0, events.last?.hash ?? AuditChain.genesis)
        return verifier.finish(headSeq: seq, headHash: hash)
    }

    @Test("an untouched chain verifies")
    func intact() {
        let events = chain(10)
        #expect(verify(events) == nil)
        #expect(events.map(\.seq) == Array(1...10))
        #expect(events[0].prevHash == AuditChain.genesis)
    }

    @Test("linking in two steps equals linking at once")
    func incremental() {
        let all = chain(6)
        let drafts = all.map { AuditEventDraft(type: .reportReceived, subjectID: $0.subjectID, payload: $0.payload, occurredAt: $0.occurredAt) }
        let first = AuditChain.link(Array(drafts[..<3]), afterSeq: 0, hash: AuditChain.genesis)
        let second = AuditChain.link(Array(drafts[3...]), afterSeq: 3, hash: first[2].hash)
        #expect(first + second == all)
    }

    @Test("an altered payload is found")
    func altered() {
        var events = chain(5)
        events[2].payload = "{\"n\":99}"
        #expect(verify(events) == .alteredEvent(seq: 3))
    }

    @Test("an altered event with a recomputed hash breaks the next link")
    func rehashed() {
        var events = chain(5)
        events[2].payload = "{\"n\":99}"
        let e = events[2]
        events[2].hash = AuditChain.hash(seq: e.seq, type: e.type, subjectID: e.subjectID, payload: e.payload, occurredAt: e.occurredAt, prevHash: e.prevHash)
        #expect(verify(events) == .brokenLink(seq: 4))
    }

    @Test("a deleted event is found")
    func deletedMiddle() {
        var events = chain(5)
        events.remove(at: 1)
        #expect(verify(events) == .gap(expectedSeq: 2, found: 3))
    }

    @Test("deleting the newest events is found by the head")
    func deletedTail() {
        let events = chain(5)
        #expect(verify(Array(events.prefix(3)), head: (5, events[4].hash)) == .headMismatch(headSeq: 5, lastSeq: 3))
    }

    @Test("field boundaries are unambiguous")
    func unambiguous() {
        let a = AuditChain.hash(seq: 1, type: "ab", subjectID: "c", payload: "{}", occurredAt: Timestamp(milliseconds: 1), prevHash: AuditChain.genesis)
        let b = AuditChain.hash(seq: 1, type: "a", subjectID: "bc", payload: "{}", occurredAt: Timestamp(milliseconds: 1), prevHash: AuditChain.genesis)
        let c = AuditChain.hash(seq: 1, type: "ab", subjectID: nil, payload: "{}", occurredAt: Timestamp(milliseconds: 1), prevHash: AuditChain.genesis)
        #expect(Set([a, b, c]).count == 3)
    }
}
