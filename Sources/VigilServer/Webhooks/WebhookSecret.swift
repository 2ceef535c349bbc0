import Crypto
import Foundation
import VigilCore

/// An endpoint's signing secret in the Standard Webhooks form: `whsec_` and the base64 of 24 to 64
/// random bytes. Shown to the platform once, when made; kept sealed in the store.
struct WebhookSecret: Sendable, Equatable {
    static let prefix = "whsec_"
    static let byteCount = 32

    /// The key the signatures are made with.
    let key: SymmetricKey
    /// As the platform is shown it.
    let rendered: String

    static func generate() -> WebhookSecret {
        let bytes = SymmetricKey(size: .init(bitCount: byteCount * 8)).withUnsafeBytes { Data($0) }
        // The rendering of fresh bytes always parses.
        return WebhookSecret(parsing: prefix + bytes.base64EncodedString())!
    }

    /// A rendered secret, or nil unless it has the prefix and 24 to 64 bytes of base64.
    init?(parsing text: String) {
        guard text.hasPrefix(Self.prefix), let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
              (24...64).contains(bytes.count) else { return nil }
        key = SymmetricKey(data: bytes)
        rendered = text
    }

    static func == (lhs: WebhookSecret, rhs: WebhookSecret) -> Bool { lhs.rendered == rhs.rendered }
}

/// Standard Webhooks signatures: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`.
enum WebhookSignature {
    static func sign(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> String {
        var content = Array("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: secret.key)).base64EncodedString()
    }

    /// The `webhook-signature` header: one signature per secret in force, space-separated, so a
    /// receiver that still holds the previous secret verifies during a rotation's overlap.
    static func header(id: String, timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]) -> String {
        secrets.map { sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }
}
