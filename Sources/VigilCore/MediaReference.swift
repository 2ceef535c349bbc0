/// Where the platform serves a subject's media, so the console can preview it. Vigil keeps the
/// address only, never the media: the moderator's browser loads it from the platform.
public struct MediaReference: Sendable, Equatable {
    /// How the console shows the media.
    public enum Kind: String, Sendable, CaseIterable {
        case image, video
    }

    public var url: String
    public var kind: Kind

    /// Longer addresses are refused: browsers and CDNs cap theirs near here.
    public static let maxURLBytes = 2_048

    public init(url: String, kind: Kind) {
        self.url = url
        self.kind = kind
    }

    /// Why `url` cannot be a media address, or nil when it can. The console puts it in a `src`
    /// attribute, so only an absolute `https` or `http` address passes: a host of letters, digits,
    /// dots and hyphens, an optional port, then RFC 3986 characters only (anything else
    /// percent-encoded), so no `javascript:`, no `data:`, no credentials, nothing to unquote.
    /// The API document states the same rule as a pattern (``urlPattern``).
    public static func problem(withURL url: String) -> String? {
        guard !url.isEmpty, url.utf8.count <= maxURLBytes else { return "must be 1 to \(maxURLBytes) bytes" }
        var rest = Substring(url)
        guard let schemeEnd = rest.range(of: "://") else { return "must be an absolute https or http URL" }
        guard ["https", "http"].contains(rest[..<schemeEnd.lowerBound].lowercased()) else { return "must be an https or http URL" }
        rest = rest[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex { [":", "/", "?", "#"].contains($0) } ?? rest.endIndex
        let host = rest[..<hostEnd]
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.isASCII && (hostCharacters.contains(Character($0))) }) else {
            return "must name a host of letters, digits, dots and hyphens (no credentials)"
        }
        rest = rest[hostEnd...]
        if rest.first == ":" {
            let portEnd = rest.dropFirst().firstIndex { !$0.isASCII || !$0.isNumber } ?? rest.endIndex
            let digits = rest[rest.index(after: rest.startIndex)..<portEnd]
            guard (1...5).contains(digits.count) else { return "must have a port of 1 to 5 digits after ':'" }
            rest = rest[portEnd...]
        }
        guard rest.isEmpty || ["/", "?", "#"].contains(rest.first) else { return "must continue its host with /, ? or #" }
        var bytes = Array(rest.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard bytes.count >= 2, bytes.prefix(2).allSatisfy(isHexDigit) else { return "must follow every % with two hex digits" }
                bytes = bytes.dropFirst(2)
            } else if !pathBytes.contains(byte) {
                return "must percent-encode '\(Unicode.Scalar(byte).escaped(asASCII: true))' and every character outside RFC 3986"
            }
        }
        return nil
    }

    /// ``problem(withURL:)``'s rule as a regular expression, for the API document.
    public static let urlPattern = #"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#]([A-Za-z0-9._~!$&'()*+,;=:@/?#-]|%[0-9A-Fa-f]{2})*)?$(?!\n)"#

    private static let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
    private static let pathBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~!$&'()*+,;=:@/?#-".utf8)
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
