/// The storage engines Vigil runs on. Every SQL difference between them lives here, so the rest of
/// the store is written once.
public enum SQLEngine: String, Sendable {
    case sqlite
    case postgres

    /// A trigger that makes `table` refuse `operation` (`UPDATE`, `DELETE`, or `UPDATE OF col, …`),
    /// so append-only tables stay append-only even for code that forgets.
    func forbidStatements(table: String, operation: String, name: String, message: String) -> [String] {
        switch self {
        case .sqlite:
            return ["CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) BEGIN SELECT RAISE(ABORT, '\(message)'); END"]
        case .postgres:
            return [
                """
                CREATE OR REPLACE FUNCTION \(name)_fn() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '\(message)'; END $$
                """,
                "CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) FOR EACH ROW EXECUTE FUNCTION \(name)_fn()",
            ]
        }
    }

    /// Drops one of the triggers made by ``forbidStatements(table:operation:name:message:)``
    /// (tests use it to tamper with a copy as an attacker with the file would).
    func dropTrigger(_ name: String, table: String) -> String {
        switch self {
        case .sqlite: "DROP TRIGGER IF EXISTS \(name)"
        case .postgres: "DROP TRIGGER IF EXISTS \(name) ON \(table)"
        }
    }

    /// The statement that starts a write transaction. SQLite takes the write lock at once so a
    /// transaction never fails half-way on a busy database.
    var beginWrite: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }
}
