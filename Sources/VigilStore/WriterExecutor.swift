import NIOPosix

/// Runs SQLite write transactions on the writer connection's own thread.
///
/// SQLiteNIO runs every statement as a work item on a `NIOThreadPool` and resumes the waiting task
/// when it finishes. A write transaction is a chain of such statements, and with the task on Swift's
/// cooperative pool each one costs two thread wake-ups; on a loaded machine those waits were most
/// of a transaction's time. The writer has a pool of exactly one thread, and a task that prefers
/// this executor runs its jobs as work items on that same thread: the statement's completion
/// queues the task's next step behind it, and the thread, already awake, runs it straight away.
/// Neither NIO nor the standard library has a `TaskExecutor` over a thread pool, hence these lines.
final class WriterExecutor: TaskExecutor {
    let pool: NIOThreadPool

    init(pool: NIOThreadPool) { self.pool = pool }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // Run the job whatever the pool's state: a job dropped at shutdown would leave its task
        // suspended for ever. (A stopped pool runs the item at once, on the caller's thread.)
        pool.submit { _ in job.runSynchronously(on: executor) }
    }
}
