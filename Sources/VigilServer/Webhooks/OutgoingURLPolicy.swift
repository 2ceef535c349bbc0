import Foundation
import NIOCore
import NIOPosix
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// Where Vigil may send requests of its own (webhooks): `https` URLs to public addresses. Plain
/// `http` only to loopback and only when allowed (development); private, loopback, link-local,
/// shared, multicast and reserved ranges refused unless allowed, so a webhook URL cannot reach
/// the platform's internal network (SSRF). Checked when an endpoint is saved (the URL's form, and
/// an address written in it) and again before every delivery (what the host name resolves to).
struct OutgoingURLPolicy: Sendable {
    /// Lets `http://` reach loopback addresses (127.0.0.0/8, ::1, localhost).
    var allowHTTPLoopback = false
    /// Lets requests reach private and other internal ranges.
    var allowPrivateRanges = false

    static let maxURLLength = 2_048

    /// The URL if it may be saved as an endpoint; else the reason, for the `url` field.
    func validate(_ text: String) -> Result<URL, VigilError> {
        func refuse(_ detail: String) -> Result<URL, VigilError> { .failure(.invalidField(field: "url", detail: detail)) }
        guard !text.isEmpty, text.utf8.count <= Self.maxURLLength else { return refuse("must be a URL of 1 to \(Self.maxURLLength) bytes") }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return refuse("must be an absolute https URL")
        }
        guard url.user == nil, url.password == nil else { return refuse("must not carry a user name or password") }
        guard url.fragment == nil else { return refuse("must not have a fragment") }
        if let port = url.port, !(1...65_535).contains(port) { return refuse("has no valid port") }
        let loopbackName = Self.isLoopbackName(host)
        switch scheme {
        case "https": break
        case "http":
            guard allowHTTPLoopback, loopbackName || Self.literalAddress(host).map(Self.isLoopback) == true else {
                return refuse("must use https (plain http is allowed only to loopback, in development)")
            }
        default: return refuse("must use https")
        }
        if let address = Self.literalAddress(host), let problem = refusal(of: address, scheme: scheme) { return refuse(problem) }
        if loopbackName, let problem = refusal(of: [127, 0, 0, 1], scheme: scheme) { return refuse(problem) }
        return .success(url)
    }

    /// Why a request may not go to `address` (4 or 16 bytes) over `scheme`, or nil if it may.
    func refusal(of address: [UInt8], scheme: String) -> String? {
        if Self.isLoopback(address) {
            if allowPrivateRanges || (allowHTTPLoopback && scheme == "http") { return nil }
            return "points to a loopback address"
        }
        if !allowPrivateRanges, Self.isInternal(address) { return "points to a private or reserved address" }
        return nil
    }

    /// Resolves `host` and checks every address it has; throws the refusal. Run before each
    /// delivery: a name may resolve elsewhere than when the endpoint was saved.
    func checkResolved(host: String, port: Int, scheme: String, on pool: NIOThreadPool, timeout: Duration = .seconds(5)) async throws {
        let addresses = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            group.addTask { try await Self.resolve(host: host, port: port, on: pool) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw OutgoingRefusal(detail: "\(host) did not resolve in time")
            }
            defer { group.cancelAll() }
            return try await group.next() ?? []
        }
        guard !addresses.isEmpty else { throw OutgoingRefusal(detail: "\(host) has no address") }
        for address in addresses {
            if let problem = refusal(of: address, scheme: scheme) { throw OutgoingRefusal(detail: "\(host) \(problem)") }
        }
    }

    // MARK: Addresses

    static func isLoopbackName(_ host: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name.hasSuffix(".localhost")
    }

    /// The bytes of an IPv4 or IPv6 literal (brackets allowed), or nil for a name.
    static func literalAddress(_ host: String) -> [UInt8]? {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, else the address itself.
    static func unwrapped(_ a: [UInt8]) -> [UInt8] {
        guard a.count == 16 else { return a }
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xff && a[11] == 0xff { return Array(a[12..<16]) }
        if a[0..<12] == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0][...] { return Array(a[12..<16]) }
        return a
    }

    static func isLoopback(_ address: [UInt8]) -> Bool {
        let a = unwrapped(address)
        if a.count == 4 { return a[0] == 127 }
        return a == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Private, link-local, shared, multicast, reserved and unspecified ranges (loopback apart).
    static func isInternal(_ address: [UInt8]) -> Bool {
        let a = unwrapped(address)
        if a.count == 4 {
            switch (a[0], a[1]) {
            case (0, _), (10, _), (127, _): return true
            case (100, 64...127): return true              // shared address space (carrier NAT)
            case (169, 254): return true                   // link-local, cloud metadata
            case (172, 16...31), (192, 168): return true
            case (192, 0) where a[2] == 0: return true      // IETF protocol assignments
            case (198, 18...19): return true               // benchmarking
            case (224...255, _): return true               // multicast, reserved, broadcast
            default: return false
            }
        }
        guard a.count == 16 else { return true }
        if a.allSatisfy({ $0 == 0 }) { return true }                 // unspecified
        if a[0] & 0xfe == 0xfc { return true }                       // unique local fc00::/7
        if a[0] == 0xfe && a[1] & 0xc0 == 0x80 { return true }       // link-local fe80::/10
        if a[0] == 0xff { return true }                              // multicast
        return false
    }

    /// The addresses `host` resolves to, looked up on `pool` (getaddrinfo blocks, so never on an event loop).
    static func resolve(host: String, port: Int, on pool: NIOThreadPool) async throws -> [[UInt8]] {
        if let literal = literalAddress(host) { return [literal] }
        return try await pool.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, String(port), &hints, &result)
            guard status == 0, let first = result else { throw OutgoingRefusal(detail: "\(host) does not resolve") }
            defer { freeaddrinfo(first) }
            var addresses: [[UInt8]] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let entry = cursor {
                if let raw = entry.pointee.ai_addr {
                    switch entry.pointee.ai_family {
                    case AF_INET:
                        var sin = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                        addresses.append(withUnsafeBytes(of: &sin) { Array($0) })
                    case AF_INET6:
                        var sin6 = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                        addresses.append(withUnsafeBytes(of: &sin6) { Array($0) })
                    default: break
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }
    }
}

/// A request Vigil refused to send (see ``OutgoingURLPolicy``).
struct OutgoingRefusal: Error, CustomStringConvertible {
    var detail: String
    var description: String { "refused: \(detail)" }
}
