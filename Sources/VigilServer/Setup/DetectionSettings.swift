import Foundation
import VigilCore
import Yams

/// Where Vigil may fetch media the platform points it to, and the external classifiers it calls,
/// read from a YAML (or JSON) file (`--classifiers` / `VIGIL_CLASSIFIERS`). Every problem is
/// listed at start, with its path in the file.
///
/// ```yaml
/// media:
///   allow_hosts: [media.example-cdn.com, "*.uploads.example.com"]
///   max_bytes: 52428800
///   fetch_timeout_seconds: 10
/// classifiers:
///   - name: open-nsfw
///     url: http://127.0.0.1:9300/v1/classify
///     accepts: [image/, video/]
///     timeout_seconds: 5
///     concurrency: 4
///     failure_threshold: 5
///     cooldown_seconds: 30
/// ```
public struct DetectionSettings: Sendable {
    public struct Media: Sendable {
        /// Host names media URLs may name: exact, or `*.` and a suffix. Empty: media URLs are refused.
        public var allowHosts: [String] = []
        /// Lets media URLs use plain http to loopback (development and tests).
        public var allowHTTPLoopback = false
        /// Lets media URLs reach private and internal address ranges (an on-premises media store).
        public var allowPrivate = false
        public var maxBytes = 50 * 1024 * 1024
        public var fetchTimeoutSeconds = 10.0

        public init() {}

        /// Whether `host` is on the allow-list.
        func allows(host: String) -> Bool {
            let host = host.lowercased()
            return allowHosts.contains { pattern in
                if pattern.hasPrefix("*.") { return host.hasSuffix(String(pattern.dropFirst(1))) }
                return host == pattern
            }
        }
    }

    /// An external classifier Vigil calls over HTTP with media bytes (see docs/classifiers.md).
    public struct Classifier: Sendable {
        public var name: String
        public var url: URL
        /// Media type prefixes it is sent (`image/`, `video/mp4`).
        public var accepts: [String] = ["image/"]
        public var timeoutSeconds = 5.0
        public var concurrency = 4
        public var failureThreshold = 5
        public var cooldownSeconds = 30.0

        public init(name: String, url: URL) {
            self.name = name
            self.url = url
        }

        func accepts(contentType: String) -> Bool {
            let type = contentType.lowercased()
            return accepts.contains { type.hasPrefix($0) }
        }
    }

    public var media = Media()
    public var classifiers: [Classifier] = []

    public init() {}

    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "invalid classifiers file:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    public static func load(path: String) throws -> DetectionSettings {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw Invalid(problems: ["cannot read \(path)"])
        }
        return try parse(text)
    }

    public static func parse(_ source: String) throws -> DetectionSettings {
        let root: Any?
        do { root = try Yams.load(yaml: source) } catch {
            throw Invalid(problems: ["not valid YAML or JSON: \(error)"])
        }
        guard let document = root as? [String: Any] else { throw Invalid(problems: ["must be a mapping with 'media' and 'classifiers'"]) }
        var problems: [String] = []
        var settings = DetectionSettings()
        for key in document.keys.sorted() where !["media", "classifiers"].contains(key) { problems.append("\(key): unknown setting (accepted: media, classifiers)") }
        if let raw = document["media"] {
            if let fields = raw as? [String: Any] {
                settings.media = parseMedia(fields, problems: &problems)
            } else {
                problems.append("media: must be a mapping")
            }
        }
        if let raw = document["classifiers"] {
            if let list = raw as? [Any] {
                var names = Set<String>()
                for (index, item) in list.enumerated() {
                    guard let classifier = parseClassifier(item, path: "classifiers[\(index)]", problems: &problems) else { continue }
                    if !names.insert(classifier.name).inserted { problems.append("classifiers[\(index)].name: '\(classifier.name)' is used by an earlier classifier") }
                    settings.classifiers.append(classifier)
                }
                if list.count > 20 { problems.append("classifiers: at most 20") }
            } else {
                problems.append("classifiers: must be a list")
            }
        }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        return settings
    }

    private static func parseMedia(_ fields: [String: Any], problems: inout [String]) -> Media {
        var media = Media()
        let known: Set<String> = ["allow_hosts", "allow_http_loopback", "allow_private", "max_bytes", "fetch_timeout_seconds"]
        for key in fields.keys.sorted() where !known.contains(key) { problems.append("media.\(key): unknown setting (accepted: \(known.sorted().joined(separator: ", ")))") }
        if let raw = fields["allow_hosts"] {
            if let hosts = raw as? [String], hosts.allSatisfy(isHostPattern) { media.allowHosts = hosts.map { $0.lowercased() } } else {
                problems.append("media.allow_hosts: must be a list of host names, each exact or '*.' and a domain")
            }
        }
        for (key, path) in [("allow_http_loopback", \Media.allowHTTPLoopback), ("allow_private", \.allowPrivate)] {
            guard let raw = fields[key] else { continue }
            if let flag = raw as? Bool { media[keyPath: path] = flag } else { problems.append("media.\(key): must be true or false") }
        }
        if let raw = fields["max_bytes"] {
            if let value = raw as? Int, (1...500 * 1024 * 1024).contains(value) { media.maxBytes = value } else { problems.append("media.max_bytes: must be from 1 to 524288000") }
        }
        if let raw = fields["fetch_timeout_seconds"] {
            if let value = seconds(raw, max: 300) { media.fetchTimeoutSeconds = value } else { problems.append("media.fetch_timeout_seconds: must be a number of seconds from 0.1 to 300") }
        }
        return media
    }

    private static func parseClassifier(_ raw: Any, path: String, problems: inout [String]) -> Classifier? {
        guard let fields = raw as? [String: Any] else {
            problems.append("\(path): must be a mapping")
            return nil
        }
        let before = problems.count
        let known: Set<String> = ["name", "url", "accepts", "timeout_seconds", "concurrency", "failure_threshold", "cooldown_seconds"]
        for key in fields.keys.sorted() where !known.contains(key) { problems.append("\(path).\(key): unknown setting (accepted: \(known.sorted().joined(separator: ", ")))") }
        let name = fields["name"] as? String ?? ""
        if name.isEmpty || name.count > 64 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            problems.append("\(path).name: must be 1 to 64 of letters, digits, '-', '_' and '.'")
        }
        if name == DetectionWorkflow.builtInSource { problems.append("\(path).name: '\(name)' is reserved for Vigil's own classifiers") }
        let url = (fields["url"] as? String).flatMap(URL.init(string:))
        if url == nil || !["http", "https"].contains(url?.scheme?.lowercased() ?? "") || url?.host == nil {
            problems.append("\(path).url: must be an http or https URL")
        }
        var classifier = Classifier(name: name, url: url ?? URL(fileURLWithPath: "/"))
        if let raw = fields["accepts"] {
            if let types = raw as? [String], !types.isEmpty, types.allSatisfy({ $0.contains("/") }) { classifier.accepts = types.map { $0.lowercased() } } else {
                problems.append("\(path).accepts: must be a list of media types or prefixes, such as image/ or video/mp4")
            }
        }
        if let raw = fields["timeout_seconds"] {
            if let value = seconds(raw, max: 120) { classifier.timeoutSeconds = value } else { problems.append("\(path).timeout_seconds: must be a number of seconds from 0.1 to 120") }
        }
        if let raw = fields["cooldown_seconds"] {
            if let value = seconds(raw, max: 3_600) { classifier.cooldownSeconds = value } else { problems.append("\(path).cooldown_seconds: must be a number of seconds from 0.1 to 3600") }
        }
        for (key, keyPath, max) in [("concurrency", \Classifier.concurrency, 256), ("failure_threshold", \.failureThreshold, 1_000)] {
            guard let raw = fields[key] else { continue }
            if let value = raw as? Int, (1...max).contains(value) { classifier[keyPath: keyPath] = value } else { problems.append("\(path).\(key): must be a whole number from 1 to \(max)") }
        }
        return problems.count == before ? classifier : nil
    }

    private static func seconds(_ raw: Any, max: Double) -> Double? {
        let value: Double? = switch raw {
        case let v as Double: v
        case let v as Int: Double(v)
        default: nil
        }
        guard let value, value.isFinite, value >= 0.1, value <= max else { return nil }
        return value
    }

    private static func isHostPattern(_ text: String) -> Bool {
        let host = text.hasPrefix("*.") ? String(text.dropFirst(2)) : text
        return !host.isEmpty && host.count <= 253 && host.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.".contains($0)) }
            && !host.hasPrefix(".") && !host.hasSuffix(".")
    }
}
