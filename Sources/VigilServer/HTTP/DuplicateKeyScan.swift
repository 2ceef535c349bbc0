import Foundation

/// Finds a key that appears twice in one JSON object. Foundation's decoders keep one of the two
/// values silently, so a gateway that reads the other one could be bypassed; Vigil refuses such
/// a body instead (RFC 8259 §4 leaves duplicate names to the implementation).
///
/// Written here because neither Foundation nor the packages Vigil uses report duplicates. It runs
/// on bodies the decoder has already accepted as JSON, walks them once without recursion, and
/// never reads past the end, so any input is safe.
enum DuplicateKeyScan {
    /// The path of the first repeated key (`notice.explanation`, `items[2].id`), or nil.
    static func firstDuplicate(in bytes: [UInt8]) -> String? {
        struct Frame {
            var isObject: Bool
            var path: String
            var keys: Set<String> = []
            var expectingKey = true
            var currentKey = ""
            var index = 0

            func childPath() -> String {
                if isObject { return path.isEmpty ? currentKey : "\(path).\(currentKey)" }
                return "\(path)[\(index)]"
            }
        }
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let path = stack.last?.childPath() ?? ""
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), path: path))
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
                    let key = decodeKey(bytes, start: start, end: min(end, bytes.count), escaped: escaped)
                    if !stack[top].keys.insert(key).inserted {
                        return stack[top].path.isEmpty ? key : "\(stack[top].path).\(key)"
                    }
                    stack[top].currentKey = key
                    stack[top].expectingKey = false
                }
                i = end + 1
            default:
                i += 1
            }
        }
        return nil
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
