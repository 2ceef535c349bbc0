import Logging
import ServiceLifecycle
import VigilCore
import VigilStore

/// Keeps time-driven state current: reviews the independence of the reports that arrived since its
/// last pass (cases for review, coordination flags, shields), carries out or withholds takedowns
/// whose settle period is over, marks cases past their deadline as overdue (they rise in the
/// queue), and ends misuse suspensions and timed account measures, each lifting an event and a
/// notice. Runs every `interval`; `sweep(at:)` does one pass of the deadlines and lapses,
/// `review` the reports, `settling` the takedowns.
public struct MaintenanceService: Service {
    let store: Store
    let clock: VigilClock
    let interval: Duration
    let logger: Logger
    let settling: TakedownSettling?
    let review: IndependenceReview?

    public init(store: Store, interval: Duration = .seconds(5), logger: Logger, clock: VigilClock = .system) {
        self.init(store: store, settling: nil, review: nil, interval: interval, logger: logger, clock: clock)
    }

    init(store: Store, settling: TakedownSettling?, review: IndependenceReview?, interval: Duration = .seconds(5), logger: Logger, clock: VigilClock = .system) {
        self.clock = clock
        self.store = store
        self.interval = interval
        self.logger = logger
        self.settling = settling
        self.review = review
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = clock.now()
                // Each on its own: a failing settle pass must not stop deadlines and lapses, nor the reverse.
                // The review first, so a takedown settled now sees the shields it raised.
                do {
                    if let review, try await store.read({ try await $0.eventsAwaitingIndependenceReview() }) {
                        try await review.reviewNew(at: now)
                    }
                } catch {
                    logger.warning("independence review failed", metadata: ["error_type": "\(type(of: error))"])
                }
                do {
                    try await settling?.settleDue(at: now)
                } catch {
                    logger.warning("settling takedowns failed", metadata: ["error_type": "\(type(of: error))"])
                }
                do {
                    _ = try await sweep(at: now)
                } catch {
                    logger.warning("maintenance sweep failed", metadata: ["error_type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        logger.info("maintenance stopped")
    }

    /// Lifts everything that lapsed by `time`. Returns how many suspensions and measures were lifted.
    @discardableResult
    public func sweep(at time: Timestamp) async throws -> (overdue: Int, suspensions: Int, accountActions: Int) {
        try await store.write { tx in
            let overdue = try await tx.markOverdueCases(at: time)
            var events: [AuditEventDraft] = []
            var notices: [NoticeRecord] = []
            let reporters = try await tx.lapsedSuspensions(at: time, limit: 1_000)
            for hash in reporters {
                try await tx.setReporterStanding(hash: hash, ReporterStanding(standing: .warned))
                events.append(AuditEventDraft(type: .reporterSuspensionLifted, subjectID: nil, payload: MisuseChanged(reporterRef: hash, measureId: nil, dismissed: 0, upheld: 0, until: nil), occurredAt: time))
                notices.append(NoticeComposer.message(.misuseSuspensionLifted, .init(
                    message: "Your reports are counted again. Further unfounded reports can lead to another suspension.", until: nil, decisionId: nil),
                    to: .reporter(hash: hash), subjectID: nil, decisionID: nil, at: time))
            }
            let actions = try await tx.lapsedAccountActions(at: time, limit: 1_000)
            for action in actions {
                try await tx.markAccountActionLifted(id: action.id, at: time)
                // The count as it stands when the measure ends, not as it was when it began.
                let active = try await tx.activeStrikeCount(creatorID: action.creatorID, at: time)
                events.append(AuditEventDraft(type: .accountActionLifted, subjectID: nil, payload: AccountActionChanged(
                    actionId: action.id, creatorId: action.creatorID, action: action.action, endsAt: action.endsAt?.milliseconds,
                    decisionId: action.decisionID, activeStrikes: active), occurredAt: time))
                notices.append(NoticeComposer.message(.restrictionLifted, .init(
                    message: "The measure '\(action.action.rawValue)' on your account has ended.", until: nil, decisionId: action.decisionID),
                    to: .creator(action.creatorID), subjectID: nil, decisionID: action.decisionID, at: time))
            }
            try await tx.appendEvents(events)
            try await tx.insertNotices(notices)
            return (overdue, reporters.count, actions.count)
        }
    }
}
