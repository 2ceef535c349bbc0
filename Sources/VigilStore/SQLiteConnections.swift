import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// The SQLite side of ``Store``: one writer connection on a thread of its own (see
/// ``WriterExecutor``), and reader connections, each on a thread of its own too.
///
/// A reader runs one statement at a time, so each statement reads the database as last committed.
/// SQLite keeps one read transaction per connection while any of its statements is active, so a
/// statement started beside another on the same connection reads that one's older snapshot. With
/// the readers on a shared pool of threads that could happen: the webhook dispatcher, reading the
/// sources of messages it had just claimed, once found six missing (they were committed with the
/// messages) and failed those deliveries for good.
///
/// Durability: WAL with `synchronous = FULL`, so every commit is fsynced before it is acknowledged
/// and survives power loss, not only a crash of the process. Group commit in the intake workflow
/// amortises that fsync over many reports.
///
/// Tuning, each measured with `scripts/bench-intake.sh`: a page cache of up to 256 MiB (reports
/// touch index pages at random, and a miss is a read from the OS; a benchmark's database outgrew
/// 64 MiB within seconds); statement journals in memory (multi-row inserts and upserts keep one);
/// and a checkpoint every 16,000 WAL pages rather than 1,000, so a page rewritten by several
/// transactions is copied back once. Checkpoints stay with the writer: a
/// checkpointer on another connection never caught up with a writer that never pauses, and the
/// WAL grew without bound (1.4 GB in a 10 s benchmark when tried).
struct SQLiteConnections: Sendable {
    let readerPools: [NIOThreadPool]
    let writerPool: NIOThreadPool
    let writer: SQLiteConnection
    let readers: [SQLiteConnection]

    static func open(path: String, readerCount: Int, logger: Logger) async throws -> SQLiteConnections {
        let readerPools = (0..<readerCount).map { _ in NIOThreadPool(numberOfThreads: 1) }
        for pool in readerPools { pool.start() }
        let writerPool = NIOThreadPool(numberOfThreads: 1)
        writerPool.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        var opened: [SQLiteConnection] = []
        func connect(on pool: NIOThreadPool) async throws -> SQLiteConnection {
            let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: pool, logger: logger, on: eventLoop).get()
            opened.append(connection)
            return connection
        }
        do {
            let writer = try await connect(on: writerPool)
            for pragma in [
                "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY", "PRAGMA wal_autocheckpoint = 16000",
            ] {
                _ = try await writer.query(pragma).get()
            }
            var readers: [SQLiteConnection] = []
            for pool in readerPools { readers.append(try await connect(on: pool)) }
            return SQLiteConnections(
                readerPools: readerPools, writerPool: writerPool, writer: writer, readers: readers)
        } catch {
            for connection in opened { try? await connection.close().get() }
            for pool in readerPools { try? await pool.shutdownGracefully() }
            try? await writerPool.shutdownGracefully()
            throw error
        }
    }

    /// Closes every connection; the last close checkpoints the WAL.
    func close() async {
        for reader in readers { try? await reader.close().get() }
        try? await writer.close().get()
        for pool in readerPools { try? await pool.shutdownGracefully() }
        try? await writerPool.shutdownGracefully()
    }
}
