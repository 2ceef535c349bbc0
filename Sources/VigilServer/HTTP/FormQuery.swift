import Foundation
import Hummingbird
import VigilCore

/// A request's query string, decoded as HTML forms and common clients encode it: `+` is a space
/// and `%XX` a byte of UTF-8. Hummingbird's own parameters keep `+` as it is, so a cursor sent
/// by a form-encoding client as `+AQ` would be read as another value than the one sent.
struct FormQuery: Sendable {
    private var values: [String: String] = [:]
    private var malformed: Set<String> = []

    init(_ request: Request) {
        self.init(encoded: request.uri.query ?? "")
    }

    /// A form body (`application/x-www-form-urlencoded`), decoded the same way.
    init(encoded query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first, let name = Self.decode(rawName) else { continue }
            // The first occurrence wins, as with Hummingbird's parameters.
            guard values[name] == nil, !malformed.contains(name) else { continue }
            if let value = Self.decode(parts.count > 1 ? parts[1] : "") {
                values[name] = value
            } else {
                malformed.insert(name)
            }
        }
    }

    /// The parameter's value, or nil when absent; a value that is not valid percent-encoded UTF-8 is refused.
    func get(_ name: String) throws(VigilError) -> String? {
        if malformed.contains(name) { throw .invalidField(field: name, detail: "is not valid percent-encoded UTF-8") }
        return values[name]
    }

    private static func decode(_ text: Substring) -> String? {
        // Most values (limits, cursors, kinds) need no decoding: skip Foundation's work for them.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) else { return String(text) }
        return String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
