import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Logging
import ServiceLifecycle
import Synchronization
import VigilCore
import VigilStore

/// Delivers the webhook outbox. Each round, in one transaction beside the audit chain, it records
/// the attempts that finished, fans new outbox messages out to the endpoints that receive them,
/// and claims due deliveries for every endpoint with room under its concurrency limit (leased, and
/// on PostgreSQL skipping rows another node is claiming, so several nodes share the work and no
/// message goes to an endpoint twice at once). The claimed deliveries are sent concurrently; each
/// one finishing wakes the next round. A node that dies mid-delivery leaves a lease that lapses,
/// and the delivery is tried again: delivery is at least once, under one `webhook-id`.
public final class WebhookDispatcher: Service, Sendable {
    /// How the dispatcher behaves; the defaults are production's.
    public struct Settings: Sendable {
        /// Seconds between attempts after each failure.
        public var retryDelays: [Double] = RetrySchedule.standard.delays
        /// Deliveries in flight to one endpoint at once.
        public var concurrencyPerEndpoint = 8
        /// How long an endpoint may fail every delivery before it is disabled.
        public var disableAfterSeconds: Double = 5 * 86_400
        /// Lets webhook URLs use plain http to loopback (development).
        public var allowHTTPLoopback = false
        /// Lets webhook URLs reach private and reserved address ranges.
        public var allowPrivateRanges = false
        /// How often an idle node looks for work written by other nodes.
        public var pollInterval: Duration = .milliseconds(250)

        public init() {}

        var urlPolicy: OutgoingURLPolicy { OutgoingURLPolicy(allowHTTPLoopback: allowHTTPLoopback, allowPrivateRanges: allowPrivateRanges) }
    }

    struct Finished: Sendable {
        var attempt: WebhookAttemptRecord
        var next: DeliveryNext
        /// 410 Gone: the receiver asks for no more deliveries.
        var gone: Bool
    }

    private struct State {
        /// Claimed and not yet recorded, per endpoint.
        var inFlight: [String: Int] = [:]
        var permits: [String: Permits] = [:]
        var finished: [Finished] = []
    }

    /// Deliveries claimed ahead per endpoint, as a multiple of its concurrency: the next ones are
    /// ready when a request ends, without a round in between.
    static let claimAhead = 4
    /// Leases outlive the slowest wait for a permit and the attempt's timeout by this much.
    static let leaseMarginSeconds: Double = 45
    /// The least time between two rounds that claimed work.
    static let roundSpacing: Duration = .milliseconds(10)
    /// Outbox messages fanned out per round.
    static let fanOutBatch = 1_000

    private let store: Store
    private let keyring: ReporterKeyring
    private let clock: VigilClock
    private let logger: Logger
    private let metrics: VigilMetrics?
    let settings: Settings
    private let schedule: RetrySchedule
    private let sender: WebhookSender
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init(store: Store, keyring: ReporterKeyring, settings: Settings = .init(), metrics: VigilMetrics? = nil, logger: Logger, clock: VigilClock = .system) {
        self.store = store
        self.metrics = metrics
        self.keyring = keyring
        self.clock = clock
        self.logger = logger
        self.settings = settings
        schedule = RetrySchedule(delays: settings.retryDelays)
        sender = WebhookSender(policy: settings.urlPolicy)
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let wake = self.wake
        store.onOutboxCommit { wake.yield() }
    }

    /// Asks for a round soon (new outbox messages, a finished delivery).
    public func nudge() { wake.yield() }

    /// The id every attempt of a message carries, the same for every endpoint: receivers deduplicate on it.
    func messageID(_ seq: Int64) -> String { keyring.webhookMessageID(seq: seq) }

    public func run() async throws {
        let interval = settings.pollInterval
        let wake = self.wake
        // Polls for work from other nodes and retries coming due, between wake-ups.
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.yield()
            }
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { deliveries in
                for await _ in self.wakeups {
                    if Task.isCancelled { break }
                    do {
                        let claimed = try await self.round(at: self.clock.now())
                        for (endpoint, claimed) in claimed {
                            deliveries.addTask { await self.deliver(claimed, to: endpoint) }
                        }
                        // Under load, let finished attempts gather a moment: one transaction
                        // records many, instead of one each, and intake keeps its turns.
                        if !claimed.isEmpty { try? await Task.sleep(for: Self.roundSpacing) }
                    } catch {
                        self.logger.warning("webhook round failed", metadata: ["error_type": "\(type(of: error))"])
                    }
                }
                // Shutting down: attempts in flight end (cancelled ones count as failed and are
                // tried again later, under the same webhook-id) and are recorded below.
                await deliveries.waitForAll()
            }
        }
        ticker.cancel()
        _ = try? await round(at: clock.now(), claiming: false)
        await sender.shutdown()
        logger.info("webhook dispatcher stopped")
    }

    /// One round: records finished attempts, fans out, and claims what endpoints have room for.
    /// Returns the claimed deliveries by endpoint, already counted in flight.
    func round(at now: Timestamp, claiming: Bool = true) async throws -> [(WebhookEndpointRecord, [ClaimedDelivery])] {
        // Read first: an idle round takes no write turn from intake.
        let (waiting, due) = try await store.read { session in
            (try await session.webhookMessagesWaiting(), try await session.webhookDeliveriesDue(at: now))
        }
        let finished = state.withLock { state in
            defer { state.finished = [] }
            return state.finished
        }
        guard !finished.isEmpty || waiting || (claiming && due) else { return [] }
        let limit = settings.concurrencyPerEndpoint * Self.claimAhead
        let leaseUntil = now.adding(seconds: Double(sender.timeout.components.seconds) * Double(Self.claimAhead) + Self.leaseMarginSeconds)
        let busy = state.withLock { $0.inFlight }
        let disableAfter = settings.disableAfterSeconds
        let claimed: [(WebhookEndpointRecord, [ClaimedDelivery])]
        do {
            claimed = try await store.writeBesideChain { tx in
                // A failure may disable its endpoint, an event: take the chain head before any
                // endpoint row, in the order every other writer takes them, so no two wait on each other.
                if finished.contains(where: { $0.attempt.outcome == .failed }) { _ = try await tx.auditHead(forUpdate: true) }
                try await Self.record(finished, in: tx, at: now, disableAfterSeconds: disableAfter)
                if waiting { _ = try await tx.fanOutWebhookMessages(limit: Self.fanOutBatch, at: now) }
                guard claiming else { return [] }
                var claimed: [(WebhookEndpointRecord, [ClaimedDelivery])] = []
                for endpoint in try await tx.webhookEndpoints() where endpoint.enabled {
                    let room = limit - (busy[endpoint.id] ?? 0)
                    guard room > 0 else { continue }
                    let deliveries = try await tx.claimWebhookDeliveries(endpointID: endpoint.id, limit: room, at: now, leaseUntil: leaseUntil)
                    if !deliveries.isEmpty { claimed.append((endpoint, deliveries)) }
                }
                return claimed
            }
        } catch {
            // Nothing was recorded: the attempts are kept for the next round.
            state.withLock { $0.finished.insert(contentsOf: finished, at: 0) }
            throw error
        }
        state.withLock { state in
            for (endpoint, deliveries) in claimed { state.inFlight[endpoint.id, default: 0] += deliveries.count }
        }
        return claimed
    }

    /// Writes attempts, their deliveries' next step, and what they tell of each endpoint: a success
    /// clears its failing streak, a failure starts one, and 410 or a streak past the limit disables it.
    static func record(_ finished: [Finished], in tx: StoreSession, at now: Timestamp, disableAfterSeconds: Double) async throws {
        guard !finished.isEmpty else { return }
        try await tx.recordWebhookAttempts(finished.map { ($0.attempt, $0.next) })
        var events: [AuditEventDraft] = []
        for (endpointID, results) in Dictionary(grouping: finished, by: \.attempt.endpointID).sorted(by: { $0.key < $1.key }) {
            guard var endpoint = try await tx.webhookEndpoint(id: endpointID, forUpdate: true) else { continue }
            let before = endpoint
            let ordered = results.sorted { $0.attempt.attemptedAt < $1.attempt.attemptedAt }
            for result in ordered {
                if result.attempt.outcome == .delivered {
                    endpoint.failingSince = nil
                } else if endpoint.failingSince == nil {
                    endpoint.failingSince = result.attempt.attemptedAt
                }
            }
            var reason: WebhookEndpointDisabled.Reason?
            if ordered.contains(where: \.gone) {
                reason = .gone
            } else if let since = endpoint.failingSince, since.seconds(until: now) >= disableAfterSeconds {
                reason = .failing
            }
            if let reason, endpoint.enabled {
                endpoint.enabled = false
                endpoint.disabledReason = reason.rawValue
                events.append(AuditEventDraft(
                    type: .webhookEndpointDisabled, subjectID: nil,
                    payload: WebhookEndpointDisabled(endpointId: endpoint.id, reason: reason, failingSince: endpoint.failingSince?.milliseconds),
                    occurredAt: now))
            }
            if endpoint != before {
                endpoint.updatedAt = now
                try await tx.updateWebhookEndpoint(endpoint)
            }
        }
        try await tx.appendEvents(events)
    }

    /// Sends claimed deliveries to one endpoint, concurrently, and queues their outcomes.
    private func deliver(_ claimed: [ClaimedDelivery], to endpoint: WebhookEndpointRecord) async {
        let publicID: @Sendable (Int64) -> String = { [keyring] in keyring.eventID(seq: $0) }
        let messages = claimed.map(\.message)
        let bodies: [Int64: [UInt8]]
        do {
            bodies = try await store.read { session in
                var bodies: [Int64: [UInt8]] = [:]
                for message in messages { bodies[message.seq] = try await WebhookPayload.compose(message, in: session, publicID: publicID) }
                return bodies
            }
        } catch {
            // The leases lapse and the deliveries are claimed again.
            logger.warning("webhook bodies could not be read", metadata: ["error_type": "\(type(of: error))"])
            finish([], endpointID: endpoint.id, releasing: claimed.count)
            return
        }
        let secrets = secretsInForce(endpoint)
        let url = URL(string: endpoint.url)
        let concurrency = settings.concurrencyPerEndpoint
        let permits = state.withLock { state in
            if let permits = state.permits[endpoint.id] { return permits }
            let permits = Permits(concurrency)
            state.permits[endpoint.id] = permits
            return permits
        }
        await withTaskGroup(of: Void.self) { group in
            // Oldest first: a permit is taken in claim order, so the endpoint sees messages in
            // the order they were claimed, at most `concurrency` at once.
            for delivery in claimed {
                await permits.acquire()
                group.addTask {
                    let result = await self.attempt(delivery, to: endpoint, url: url, body: bodies[delivery.message.seq], secrets: secrets)
                    permits.release()
                    self.finish([result], endpointID: endpoint.id, releasing: 1)
                }
            }
        }
    }

    private func finish(_ results: [Finished], endpointID: String, releasing count: Int) {
        state.withLock { state in
            state.finished.append(contentsOf: results)
            state.inFlight[endpointID, default: 0] -= count
            if state.inFlight[endpointID] ?? 0 <= 0 { state.inFlight[endpointID] = nil }
        }
        wake.yield()
    }

    /// The secrets that sign a delivery now: the current one, and the previous one during a rotation's overlap.
    private func secretsInForce(_ endpoint: WebhookEndpointRecord) -> [WebhookSecret] {
        var sealed = [endpoint.secretSeal]
        if let previous = endpoint.previousSecretSeal, let until = endpoint.previousUntil, until > clock.now() { sealed.append(previous) }
        return sealed.compactMap { try? keyring.unseal($0) }.compactMap(WebhookSecret.init(parsing:))
    }

    /// One attempt of one delivery.
    private func attempt(_ delivery: ClaimedDelivery, to endpoint: WebhookEndpointRecord, url: URL?, body: [UInt8]?, secrets: [WebhookSecret]) async -> Finished {
        let number = delivery.attempts + 1
        let started = clock.now()
        let startedAt = ContinuousClock.now
        var status: Int?
        var snippet: String?
        var problem: String?
        var retryAfter: Double?
        if let url, let body, !secrets.isEmpty {
            let id = messageID(delivery.message.seq)
            let timestamp = started.milliseconds / 1_000
            do {
                let response = try await sender.post(url: url, headers: [
                    ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
                    ("webhook-signature", WebhookSignature.header(id: id, timestamp: timestamp, body: body, secrets: secrets)),
                ], body: body)
                status = response.status
                snippet = response.snippet
                retryAfter = response.retryAfterSeconds
            } catch let refusal as OutgoingRefusal {
                problem = refusal.description
            } catch {
                problem = Self.describe(error)
            }
        } else {
            problem = body == nil ? "the message's source could not be read" : "the endpoint's URL or secret could not be read"
        }
        let elapsed = ContinuousClock.now - startedAt
        metrics?.recordWebhookAttempt(delivered: status.map { (200..<300).contains($0) } ?? false, duration: elapsed)
        let milliseconds = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let delivered = status.map { (200..<300).contains($0) } ?? false
        let gone = status == 410
        let next: DeliveryNext
        if delivered {
            next = .delivered
        } else if gone || body == nil {
            next = .exhausted
        } else if let at = schedule.next(afterAttempt: number, at: clock.now(), retryAfterSeconds: retryAfter, unit: Double.random(in: 0..<1)) {
            next = .retry(at: at)
        } else {
            next = .exhausted
        }
        return Finished(
            attempt: WebhookAttemptRecord(
                id: Identifier.make(prefix: "wha", at: started), endpointID: endpoint.id, messageSeq: delivery.message.seq, attempt: number,
                attemptedAt: started, outcome: delivered ? .delivered : .failed, statusCode: status, latencyMilliseconds: milliseconds,
                responseSnippet: snippet.map { String($0.prefix(WebhookSender.snippetBytes)) }, error: problem),
            next: next, gone: gone)
    }

    /// A short, stable description of a failed request for the attempt log (no internals).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout: return "timed out"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            default: return "the request failed (\(error))"
            }
        }
        if error is NIOConnectionError || (error as? IOError)?.errnoCode == ECONNREFUSED { return "connection refused" }
        return "the request failed (\(type(of: error)))"
    }
}
