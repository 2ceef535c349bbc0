import VigilCore

/// How intake and the independence review keep a case they changed before writing it.
enum CaseChanges {
    /// Keeps a changed open case: one opened in the same transaction is still to be inserted, so
    /// its row in `newCases` is replaced; any other is queued as an update.
    static func save(_ record: CaseRecord, openCases: inout [String: CaseRecord], newCases: inout [CaseRecord], updates: inout [String: CaseRecord]) {
        openCases[record.subjectID] = record
        if let index = newCases.firstIndex(where: { $0.id == record.id }) {
            newCases[index] = record
        } else {
            updates[record.id] = record
        }
    }
}
