import Foundation
import VigilCore

/// Page cursors as clients see them: opaque text in base64url (``Base64URL``).
enum OpaqueCursor {
    static func encode(_ text: String) -> String { Base64URL.encode(Data(text.utf8)) }

    static func decode(_ cursor: String) -> String? {
        Base64URL.decode(cursor).flatMap { String(data: $0, encoding: .utf8) }
    }
}
