import HTTPTypes
import Hummingbird
import Synchronization

/// Which methods each route pattern answers, so that a known path asked with another method gets
/// 405 with an `Allow` header (RFC 9110 §15.5.6), not the router's 404. Filled once the router
/// has all its routes.
final class RouteTable: Sendable {
    private struct Entry {
        var segments: [Substring]
        var methods: Set<String>
    }

    private let entries = Mutex<[Entry]>([])

    /// Loads the router's routes. `refused` names methods that are routed only to be refused
    /// with a reason (reports cannot be changed): they are not in the path's `Allow`.
    func load(_ routes: [(path: String, method: HTTPRequest.Method)], refused: [String: Set<HTTPRequest.Method>] = [:]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes {
            let pattern = "/" + route.path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            byPath[pattern, default: []].formUnion(refused[pattern]?.contains(route.method) == true ? [] : [route.method.rawValue])
        }
        entries.withLock { entries in
            entries = byPath.map { Entry(segments: $0.key.split(separator: "/"), methods: $0.value) }
        }
    }

    /// The methods a path's route answers, sorted; nil when no route has this path.
    func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/")
        return entries.withLock { entries in
            entries.first { entry in
                entry.segments.count == segments.count
                    && zip(entry.segments, segments).allSatisfy { pattern, part in pattern.hasPrefix("{") || pattern == part }
            }.map { $0.methods.sorted() }
        }
    }
}
