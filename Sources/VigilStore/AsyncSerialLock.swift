/// An async mutex: callers run one at a time, in arrival order, across suspension points.
///
/// Actors are re-entrant at every `await`, so an actor alone cannot keep a database transaction's
/// statements from interleaving with another's on the single writer connection; none of the
/// packages Vigil depends on offers an async mutex, hence this small one.
public actor AsyncSerialLock {
    public init() {}

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            // Hand the lock straight to the next waiter: `busy` stays true.
            waiters.removeFirst().resume()
        }
    }
}
