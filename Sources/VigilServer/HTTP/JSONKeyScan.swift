import Foundation

/// One pass over a JSON body that finds what Foundation's decoder lets through silently: a key
/// given twice in one object (the decoder keeps one copy, so a gateway reading the other could be
/// bypassed; RFC 8259 §4 leaves it to the implementation) and keys the request type does not
/// have (a misspelt `titel` must not be dropped without a word).
///
/// Written here because neither Foundation nor the packages Vigil uses report either. It runs on
/// bodies the decoder has already accepted, walks them once without recursion, and never reads
/// past the end, so any input is safe.
struct JSONKeyScan {
    /// The first repeated key's path (`notice.explanation`, `items[2].id`), if any.
    private(set) var duplicate: String?
    /// Every key's path, array positions written `[]` (`items[].id`), in order of appearance.
    private(set) var paths: [String] = []

    init(_ bytes: [UInt8]) {
        struct Frame {
            var isObject: Bool
            /// With array positions, for naming a duplicate: `items[2]`.
            var path: String
            /// Without them, for comparing with a type's fields: `items[]`.
            var schemaPath: String
            var keys: Set<String> = []
            var expectingKey = true
            var currentKey = ""
            var index = 0

            func child() -> (path: String, schemaPath: String) {
                guard isObject else { return ("\(path)[\(index)]", "\(schemaPath)[]") }
                return (path.isEmpty ? currentKey : "\(path).\(currentKey)", schemaPath.isEmpty ? currentKey : "\(schemaPath).\(currentKey)")
            }
        }
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let (path, schemaPath) = stack.last?.child() ?? ("", "")
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), path: path, schemaPath: schemaPath))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                i += 1
            case UInt8(ascii: ","):
                if let top = stack.indices.last {
                    if stack[top].isObject { stack[top].expectingKey = true } else { stack[top].index += 1 }
                }
                i += 1
            case UInt8(ascii: "\""):
                let start = i + 1
                var end = start
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") { escaped = true; end += 1 }
                    end += 1
                }
                if let top = stack.indices.last, stack[top].isObject, stack[top].expectingKey {
                    let key = Self.decodeKey(bytes, start: start, end: min(end, bytes.count), escaped: escaped)
                    stack[top].currentKey = key
                    stack[top].expectingKey = false
                    let (path, schemaPath) = stack[top].child()
                    if !stack[top].keys.insert(key).inserted, duplicate == nil { duplicate = path }
                    paths.append(schemaPath)
                }
                i = end + 1
            default:
                i += 1
            }
        }
    }

    /// The first key path that is not among `known` (paths as `a.b`, arrays as `a[].b`).
    func firstUnknown(in known: Set<String>) -> String? {
        paths.first { !known.contains($0) }
    }

    /// A key as the decoder sees it: `"a"` and `"\u0061"` are the same key.
    private static func decodeKey(_ bytes: [UInt8], start: Int, end: Int, escaped: Bool) -> String {
        guard start <= end else { return "" }
        let raw = bytes[start..<end]
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        let quoted = Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")])
        return (try? JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed) as? String) ?? String(decoding: raw, as: UTF8.self)
    }
}

/// A request body type that names every field it accepts, nested ones as `parent.child`, so that
/// any other key is refused with a problem naming it.
protocol RequestBody: Decodable {
    static var fields: Set<String> { get }
    /// The fields that take fractions (paths as in ``fields``); every other number is a whole number.
    static var fractionalFields: Set<String> { get }
}

extension RequestBody {
    static var fractionalFields: Set<String> { [] }
}
