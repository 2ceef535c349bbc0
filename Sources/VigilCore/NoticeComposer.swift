import Foundation

/// Turns statements and messages into durable notice rows. One JSON shape for every notice body.
public enum NoticeComposer {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    /// The body of a notice that is not a statement of reasons.
    public struct Message: Encodable, Sendable {
        public var message: String
        public var until: String?
        public var decisionId: String?
        /// The misuse warning or suspension a reporter may contest.
        public var measureId: String?

        public init(message: String, until: String?, decisionId: String?, measureId: String? = nil) {
            self.message = message
            self.until = until
            self.decisionId = decisionId
            self.measureId = measureId
        }
    }

    public static func statement(_ statement: StatementOfReasons, to creatorID: String, subjectID: String?, decisionID: String?, at time: Timestamp) -> NoticeRecord {
        NoticeRecord(
            id: Identifier.make(prefix: "ntc", at: time), recipient: .creator(creatorID), kind: .statementOfReasons,
            subjectID: subjectID, decisionID: decisionID, body: encode(statement), createdAt: time)
    }

    public static func message(_ kind: NoticeKind, _ message: Message, to recipient: NoticeRecord.Recipient, subjectID: String?, decisionID: String?, at time: Timestamp) -> NoticeRecord {
        NoticeRecord(
            id: Identifier.make(prefix: "ntc", at: time), recipient: recipient, kind: kind,
            subjectID: subjectID, decisionID: decisionID, body: encode(message), createdAt: time)
    }

    private static func encode(_ value: some Encodable) -> String {
        // Plain value types always encode; "{}" keeps a notice row valid if that ever changed.
        (try? encoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
