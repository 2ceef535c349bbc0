import ServiceLifecycle
import Synchronization
import VigilCore

/// Commits concurrent submissions together: while one transaction is being written and fsynced,
/// new submissions queue up, and the next transaction takes all of them (up to `maxBatch`). Each
/// caller is answered only after the transaction holding its submission committed; if that
/// transaction failed, every caller in it learns so and may retry.
///
/// Run as a `Service`: on graceful shutdown it takes no more submissions and commits what was queued.
final class GroupCommit<Item: Sendable, Output: Sendable>: Service, Sendable {
    private struct Pending: Sendable {
        var item: Item
        var continuation: CheckedContinuation<Output, any Error>
    }

    /// Applies a batch in one transaction; one result per item, in order. Per-item refusals are
    /// results, so they never abort the others; a thrown error fails the whole batch.
    typealias Process = @Sendable ([Item]) async throws -> [Result<Output, any Error>]

    private let queue = Mutex<(items: [Pending], accepting: Bool)>(([], true))
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let maxBatch: Int
    private let process: Process
    private let committed: @Sendable (Int) -> Void

    init(maxBatch: Int, process: @escaping Process, committed: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.maxBatch = max(1, maxBatch)
        self.process = process
        self.committed = committed
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Submits one item; returns once it is committed.
    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = queue.withLock { state in
                guard state.accepting else { return false }
                state.items.append(Pending(item: item, continuation: continuation))
                return true
            }
            if accepted {
                wake.yield()
            } else {
                continuation.resume(throwing: VigilError.unavailable(detail: "Vigil is shutting down"))
            }
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in self.wakeups {
                await self.drain()
            }
        }
        // Shutting down: take no more, and commit what was already queued.
        queue.withLock { $0.accepting = false }
        await drain()
    }

    private func drain() async {
        while true {
            let batch = queue.withLock { state -> [Pending] in
                let taken = Array(state.items.prefix(maxBatch))
                state.items.removeFirst(taken.count)
                return taken
            }
            if batch.isEmpty { return }
            do {
                let results = try await process(batch.map(\.item))
                committed(batch.count)
                for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
            } catch {
                // Nothing of this batch was committed: every caller learns so, and may retry.
                for pending in batch { pending.continuation.resume(throwing: error) }
            }
        }
    }
}
