import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization
import VigilCore

/// Vigil's storage: one SQL store, written once for both engines (see ``SQLEngine``).
///
/// Writes are serialized through one writer and run as transactions via ``write(_:)``; a write is
/// acknowledged to its caller only after its transaction committed. Reads use separate connections
/// (SQLite in WAL mode lets them run beside the writer), taken in turn; SQLiteNIO opens them in
/// serialized mode, so concurrent single-statement reads on one connection are safe.
public final class Store: Sendable {
    public let engine: SQLEngine
    private let threadPool: NIOThreadPool
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    private let writeLock = AsyncSerialLock()
    private let logger: Logger

    private init(
        engine: SQLEngine, threadPool: NIOThreadPool, writer: SQLiteConnection,
        readers: [SQLiteConnection], logger: Logger
    ) {
        self.engine = engine
        self.threadPool = threadPool
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    /// Opens (creating if needed) the SQLite database at `path`.
    ///
    /// Durability: WAL with `synchronous = FULL`, so every commit is fsynced before it is acknowledged
    /// and survives power loss, not just a crash of the process. Group commit in the intake workflow
    /// amortises that fsync over many reports.
    public static func openSQLite(path: String, readerCount: Int = 3, logger: Logger = Logger(label: "vigil.store")) async throws -> Store {
        let threadPool = NIOThreadPool(numberOfThreads: 4)
        threadPool.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            let writer = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop).get()
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"] {
                _ = try await writer.query(pragma).get()
            }
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                readers.append(try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: eventLoop).get())
            }
            return Store(engine: .sqlite, threadPool: threadPool, writer: writer, readers: readers, logger: logger)
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Errors other than ``VigilError`` (the engine's own) surface as `.unavailable`, after logging.
    public func write<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        try await writeRaw { sql in try await body(StoreSession(sql: sql, engine: self.engine)) }
    }

    func writeRaw<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = writer.sql(queryLogLevel: nil)
        let engine = self.engine
        let logger = self.logger
        return try await writeLock.withLock {
            do {
                try await sql.raw(SQLQueryString(engine.beginWrite)).run()
                let value: T
                do {
                    value = try await body(sql)
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
                try await sql.raw("COMMIT").run()
                return value
            } catch let error as VigilError {
                throw error
            } catch {
                // The engine's message names tables and constraints, never bound values.
                logger.error("write transaction failed", metadata: ["error": "\(String(reflecting: error))"])
                throw VigilError.unavailable(detail: "the database did not accept the write")
            }
        }
    }

    /// Runs `body` on a reader connection.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreSession) async throws -> T) async throws -> T {
        let engine = self.engine
        do {
            let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
            let connection = readers[abs(index % readers.count)]
            return try await body(StoreSession(sql: connection.sql(queryLogLevel: nil), engine: engine))
        } catch let error as VigilError {
            throw error
        } catch {
            logger.error("read failed", metadata: ["error": "\(String(reflecting: error))"])
            throw VigilError.unavailable(detail: "the database could not be read")
        }
    }

    /// Whether the database answers a trivial query (readiness).
    public func ping() async -> Bool {
        (try? await read { try await $0.sql.raw("SELECT 1 AS one").first() }) != nil
    }

    public func close() async {
        for reader in readers { try? await reader.close().get() }
        try? await writer.close().get()
        try? await threadPool.shutdownGracefully()
    }
}

/// A handle on the database inside one transaction or read. Domain operations are added in
/// extensions, one file per aggregate (`StoreSession+Reports.swift`, …).
public struct StoreSession: Sendable {
    let sql: any SQLDatabase
    let engine: SQLEngine

    func tableExists(_ name: String) async throws -> Bool {
        let query: SQLQueryString = switch engine {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)"
        case .postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_name = \(bind: name)"
        }
        return try await sql.raw(query).first() != nil
    }
}
