import Foundation
import VigilCore

/// How the console runs: its sign-in rules, where media previews may load from, and how many
/// sign-ins one address may try.
public struct ConsoleSettings: Sendable {
    public var rules: ConsoleRules = .standard
    /// The Content-Security-Policy sources a moderator's browser may load subjects' media from:
    /// the platform's media hosts (`https://media.example.com`, `https://*.cdn.example.com`).
    /// `https:` by default, any host over TLS, since the addresses come from the platform's own API calls.
    public var mediaSources: [String] = ["https:"]
    /// Sign-in attempts one client address may make a minute, over all names: lockout stops
    /// guessing one account's password, this stops trying one password on every account.
    public var signInsPerMinutePerAddress = 20
    /// The header a reverse proxy in front of Vigil puts the client's address in (`X-Forwarded-For`,
    /// `X-Real-IP`), for the sign-in limit; its last entry is the one the proxy added. Nil: the
    /// connection's address. Set it only behind a proxy that sets the header, or clients choose their own.
    public var clientAddressHeader: String?

    public init() {}

    /// The client's address for per-address limits: the last entry of the proxy's header when one
    /// is configured and present, else the connection's.
    func clientAddress(headerValue: String?, connection: String?) -> String {
        if clientAddressHeader != nil, let last = headerValue?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            return String(last.prefix(64))
        }
        return connection ?? "unknown"
    }

    /// Why `source` cannot be a media source, or nil: a scheme (`https:`, `http:`) or an origin
    /// (`https://host[:port]`, the host possibly starting with `*.`), nothing that could end the
    /// policy's directive or add another.
    public static func problem(withMediaSource source: String) -> String? {
        if source == "https:" || source == "http:" { return nil }
        let parts = source.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "https" || parts[0] == "http" else {
            return "'\(source)' must be https:, http: or an origin such as https://media.example.com"
        }
        var host = parts[1]
        if host.hasPrefix("*.") { host = host.dropFirst(2) }
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return "'\(source)' has a bad port" }
            host = host[..<colon]
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
            return "'\(source)' must name a host of letters, digits, dots and hyphens, with no path"
        }
        return nil
    }
}
