import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import PostgresKit
import PostgresNIO
import ServiceLifecycle
import SQLiteKit
import Synchronization
import VigilCore

/// Vigil's storage: one SQL store, written once for both engines (see ``SQLEngine``).
///
/// Writes run as transactions via ``write(_:)``; a write is acknowledged to its caller only after
/// its transaction committed. On SQLite, writes go through one writer connection and reads use
/// separate connections (WAL lets them run beside the writer), taken in turn, each running one
/// statement at a time so that every statement sees the latest commit (``SQLiteConnections``). On
/// PostgreSQL, connections come from PostgresNIO's pool, and every write transaction first locks
/// the audit-chain head, so writers on several nodes take turns and the chain stays one chain.
public final class Store: Sendable {
    public let engine: SQLEngine
    private let backend: Backend
    private let nextReader = Atomic<Int>(0)
    private let writeLock = AsyncSerialLock()
    private let outboxListener = Mutex<(@Sendable () -> Void)?>(nil)
    /// Fired when the store starts running; ``migrate()`` and ``withRunning(_:)`` wait for it.
    let started = StartSignal()
    /// Where SQLite write transactions run (see ``WriterExecutor``); nil on PostgreSQL.
    private let writerExecutor: WriterExecutor?
    private let logger: Logger

    private enum Backend: Sendable {
        case sqlite(SQLiteConnections)
        case postgres(client: PostgresClient, acquireTimeout: Duration)
    }

    private init(engine: SQLEngine, backend: Backend, logger: Logger) {
        self.engine = engine
        self.backend = backend
        if case .sqlite(let sqlite) = backend { writerExecutor = WriterExecutor(pool: sqlite.writerPool) } else { writerExecutor = nil }
        self.logger = logger
    }

    /// Opens (creating if needed) the SQLite database at `path` (see ``SQLiteConnections`` for its
    /// durability and threads).
    public static func openSQLite(path: String, readerCount: Int = 3, logger: Logger = Logger(label: "vigil.store")) async throws -> Store {
        Store(engine: .sqlite, backend: .sqlite(try await SQLiteConnections.open(path: path, readerCount: readerCount, logger: logger)), logger: logger)
    }

    /// Connection settings for PostgreSQL.
    public struct PostgresSettings: Sendable {
        public var maximumConnections: Int = 10
        public var connectTimeout: Duration = .seconds(5)

        public init(maximumConnections: Int = 10, connectTimeout: Duration = .seconds(5)) {
            self.maximumConnections = maximumConnections
            self.connectTimeout = connectTimeout
        }
    }

    /// Opens a PostgreSQL database (see ``PostgresURL`` for the URL and its TLS modes). Nothing is
    /// connected until the store runs (``run()``, as a service, or ``withRunning(_:)``); the pool
    /// then reconnects by itself when the database comes back after an outage.
    public static func openPostgres(url: String, settings: PostgresSettings = .init(), logger: Logger = Logger(label: "vigil.store")) throws -> Store {
        let parsed = try PostgresURL(url)
        var configuration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
            database: parsed.database, tls: parsed.tls)
        configuration.options.maximumConnections = max(1, settings.maximumConnections)
        configuration.options.connectTimeout = settings.connectTimeout
        // PostgresNIO logs protocol messages at debug and trace, the server's error detail among
        // them ("Key (subject_id, reporter_hash)=(…)"): the library never logs below info, whatever
        // Vigil's level. Above that it logs only failed connection attempts.
        var libraryLogger = logger
        libraryLogger.logLevel = max(logger.logLevel, .info)
        let client = PostgresClient(configuration: configuration, backgroundLogger: libraryLogger)
        return Store(engine: .postgres, backend: .postgres(client: client, acquireTimeout: settings.connectTimeout), logger: logger)
    }

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Errors other than ``VigilError`` (the engine's own) surface as `.unavailable`, after logging.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        let effects = TransactionEffects()
        let value = try await writeRaw(lockChainHead: true) { sql in try await body(StoreSession(sql: sql, engine: self.engine, effects: effects)) }
        if effects.outboxWritten.load(ordering: .relaxed), let listener = outboxListener.withLock({ $0 }) { listener() }
        return value
    }

    /// Calls `listener` after each transaction of this node that committed webhook outbox messages
    /// (the dispatcher, so they go out at once rather than at its next poll).
    public func onOutboxCommit(_ listener: @escaping @Sendable () -> Void) {
        outboxListener.withLock { $0 = listener }
    }

    /// A write transaction that does not take its turn on the audit-chain head first: for
    /// bookkeeping that other nodes may do at the same time (webhook delivery state), locking only
    /// the rows it claims. On PostgreSQL it then runs beside the other nodes' writes; on SQLite it
    /// is like any write. Appending events in it still locks the head, at that point.
    public func writeBesideChain<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        try await writeRaw(lockChainHead: false, serialize: false) { sql in try await body(StoreSession(sql: sql, engine: self.engine)) }
    }

    /// A write transaction on the raw database. `lockChainHead` is false only for migrations, which
    /// run before the head exists and serialize themselves with an advisory lock; `serialize` false
    /// takes no turn at all (``writeBesideChain(_:)``): on PostgreSQL, not even this node's.
    func writeRaw<T: Sendable>(lockChainHead: Bool = true, serialize: Bool = true, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if !serialize, engine == .postgres { return try await transaction(serialize: false, body) }
        return try await writeLock.withLock { try await self.transaction(serialize: serialize, lockChainHead: lockChainHead, body) }
    }

    private func transaction<T: Sendable>(serialize: Bool, lockChainHead: Bool = false, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let engine = self.engine
        let logger = self.logger
        do {
            return try await self.withWriter { sql in
                try await sql.raw(SQLQueryString(engine.beginWrite)).run()
                let value: T
                do {
                    if serialize, let statement = engine.serializeWriters(lockingChainHead: lockChainHead) {
                        try await sql.raw(SQLQueryString(statement)).run()
                    }
                    value = try await body(sql)
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
                try await sql.raw("COMMIT").run()
                return value
            }
        } catch let error as VigilError {
            throw error
        } catch {
            logger.error("write transaction failed", metadata: ["error": "\(Self.loggable(error))"])
            throw VigilError.unavailable(detail: "the database did not accept the write")
        }
    }

    /// A connection for one write transaction.
    private func withWriter<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite):
            return try await withTaskExecutorPreference(writerExecutor) { try await body(sqlite.writer.sql(queryLogLevel: nil)) }
        case .postgres(let client, let timeout):
            return try await Self.withPooledConnection(client, timeout: timeout) { connection in try await body(connection.sql(queryLogLevel: nil)) }
        }
    }

    /// A pooled connection, waiting at most `timeout` for one: with the database gone the pool would
    /// wait indefinitely, and a caller must hear "unavailable" (503) instead. Once a connection is
    /// handed over, the operation itself runs unbounded.
    private static func withPooledConnection<T: Sendable>(
        _ client: PostgresClient, timeout: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let acquired = HandoverFlag()
        return try await withThrowingTaskGroup(of: PooledOutcome<T>.self) { group in
            group.addTask {
                .value(try await client.withConnection { connection in
                    acquired.value.store(true, ordering: .releasing)
                    return try await body(connection)
                })
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                guard acquired.value.load(ordering: .acquiring) else { throw VigilError.unavailable(detail: "the database did not answer in time") }
                return .waited
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if case .value(let value) = outcome { return value }
            }
            throw VigilError.unavailable(detail: "the database did not answer")
        }
    }

    /// Runs `body` on a reader connection.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        let engine = self.engine
        do {
            switch backend {
            case .sqlite(let sqlite):
                let readers = sqlite.readers
                let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
                let connection = readers[abs(index % readers.count)]
                return try await body(StoreSession(sql: connection.sql(queryLogLevel: nil), engine: engine))
            case .postgres(let client, let timeout):
                return try await Self.withPooledConnection(client, timeout: timeout) { connection in
                    try await body(StoreSession(sql: connection.sql(queryLogLevel: nil), engine: engine))
                }
            }
        } catch let error as VigilError {
            throw error
        } catch is CancellationError {
            // The caller stopped waiting (a service shutting down): nothing failed.
            throw CancellationError()
        } catch {
            logger.error("read failed", metadata: ["error": "\(Self.loggable(error))"])
            throw VigilError.unavailable(detail: "the database could not be read")
        }
    }

    /// What may be logged of an engine error: its kind, SQLSTATE and constraint. Never the query
    /// or its binds (PostgresNIO's debug description prints both, and binds carry reporter hashes,
    /// seals and notes), nor PostgreSQL's message detail, which echoes key values.
    static func loggable(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState] ?? "none"
            let constraint = error.serverInfo?[.constraintName] ?? "none"
            return "postgres \(error.code) sqlstate=\(state) constraint=\(constraint)"
        }
        // SQLite's message names tables, columns and constraints, never bound values.
        if let error = error as? SQLiteError { return "sqlite \(error)" }
        return "\(type(of: error))"
    }

    /// Whether the database answers a trivial query (readiness).
    public func ping() async -> Bool {
        (try? await read { try await $0.sql.raw("SELECT 1 AS one").first() }) != nil
    }

}

extension Store: Service {
    /// Runs what the store needs in the background, in the application's one `ServiceGroup`: on
    /// PostgreSQL the connection pool. Returns after a graceful shutdown (or cancellation), with the
    /// store closed: SQLite's connections closed (its WAL checkpointed), PostgreSQL's pool drained.
    /// The group shuts services down in reverse order, so the store, listed first, closes last,
    /// after intake has committed what was queued. A store runs once.
    public func run() async {
        switch backend {
        case .sqlite(let sqlite):
            started.fire()
            try? await gracefulShutdown()
            await sqlite.close()
        case .postgres(let client, _):
            started.fire()
            await client.run()
        }
        logger.info("store closed", metadata: ["engine": "\(engine.rawValue)"])
    }

    /// Runs `body` while the store runs, then stops the store and waits until it is closed: for
    /// commands, tests and tooling that use a store outside a service group.
    public func withRunning<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await self.run() }
            await started.wait()
            do {
                let value = try await body()
                group.cancelAll()
                try await group.waitForAll()
                return value
            } catch {
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

/// Set once when the store starts running; work that needs the store waits for it.
final class StartSignal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A handle on the database inside one transaction or read. Domain operations are added in
/// extensions, one file per aggregate (`StoreSession+Reports.swift`, …).
/// What a write transaction did that something outside it waits for, told after it commits.
final class TransactionEffects: Sendable {
    let outboxWritten = Atomic<Bool>(false)
}

public struct StoreSession: Sendable {
    let sql: any SQLDatabase
    let engine: SQLEngine
    var effects: TransactionEffects? = nil

    func tableExists(_ name: String) async throws -> Bool {
        try await sql.raw(engine.tableExists(name)).first() != nil
    }
}

/// What one racer of ``Store``'s pooled-connection wait returns: the operation's value, or word
/// that the timer ran out after the connection had been handed over.
private enum PooledOutcome<T: Sendable>: Sendable {
    case value(T)
    case waited
}

/// Set once the pool has handed over a connection.
private final class HandoverFlag: Sendable {
    let value = Atomic<Bool>(false)
}
