import Synchronization

/// A counting semaphore for outgoing requests in flight (a webhook endpoint's deliveries, an
/// external classifier's calls): a request waits for a permit before it is sent, and returns it after.
final class Permits: Sendable {
    private struct State {
        var available: Int
        var waiting: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        var nextID = 0
    }

    private let state: Mutex<State>

    init(_ count: Int) { state = Mutex(State(available: max(1, count))) }

    func acquire() async {
        _ = await wait()
    }

    /// Waits for a permit unless the task is cancelled first (then throws, holding no permit):
    /// a call whose deadline passed while it queued gives up its place.
    func acquireUnlessCancelled() async throws {
        guard await wait() else { throw CancellationError() }
    }

    /// True once a permit is held; false if the wait was cancelled.
    private func wait() async -> Bool {
        let id = state.withLock { state in
            defer { state.nextID &+= 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let cancelled = Task.isCancelled
                let granted = state.withLock { state -> Bool? in
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    // Cancelled before it could queue: the handler found nothing to cancel.
                    if cancelled { return false }
                    state.waiting.append((id, continuation))
                    return nil
                }
                if let granted { continuation.resume(returning: granted) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index).continuation
            }
            cancelled?.resume(returning: false)
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.waiting.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiting.removeFirst().continuation
        }
        next?.resume(returning: true)
    }
}
