import Crypto
import Foundation
import VigilCore

/// The two secrets that keep reporters anonymous at rest (DESIGN.md §3, invariant 3):
/// a keyed hash for lookups (duplicates, track records, a reporter's own inbox) and an
/// authenticated-encryption key for the sealed copy a privacy officer may unseal.
public struct ReporterKeyring: Sendable {
    private let lookupKey: SymmetricKey
    private let sealKey: SymmetricKey

    public init(lookupKey: SymmetricKey, sealKey: SymmetricKey) {
        self.lookupKey = lookupKey
        self.sealKey = sealKey
    }

    /// The stable pseudonymous handle of a reporter: HMAC-SHA256 of their platform id, hex.
    public func lookupHash(of reporterID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(reporterID.utf8), using: lookupKey)
        return Hex.encode(mac)
    }

    /// A keyed fingerprint of arbitrary bytes (request bodies for idempotency), so that a stored
    /// fingerprint cannot be used to guess the reporter id inside the body.
    public func fingerprint(_ bytes: some DataProtocol) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(bytes), using: lookupKey))
    }

    /// An opaque, stable public id for an internal one (an audit sequence number, say): keyed,
    /// so it reveals neither the value nor how many came before. 128 bits, base64url.
    public func publicID(for value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("public-id:\(value)".utf8), using: lookupKey)
        return Base64URL.encode(Data(mac).prefix(16))
    }

    /// Encrypts a position (a page cursor) so that it is opaque to the client and cannot be forged.
    /// Deterministic, so the same position always gives the same cursor: the nonce is derived
    /// from the plaintext, which only lets equal cursors be recognised as equal.
    public func sealCursor(_ plaintext: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("cursor-nonce:\(plaintext)".utf8), using: lookupKey)
        guard let nonce = try? AES.GCM.Nonce(data: Data(mac).prefix(12)),
              let combined = try? AES.GCM.seal(Data(plaintext.utf8), using: sealKey, nonce: nonce).combined
        else { return "" }
        return Base64URL.encode(combined)
    }

    /// The plaintext of a cursor made by ``sealCursor(_:)``, or nil for anything else.
    public func openCursor(_ cursor: String) -> String? {
        guard cursor.count <= 512 else { return nil }
        guard let data = Base64URL.decode(cursor), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: sealKey) else { return nil }
        return String(data: plain, encoding: .utf8)
    }

    /// Seals `plaintext` with AES-GCM under a fresh nonce; base64 of nonce, ciphertext and tag.
    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: sealKey)
        guard let combined = box.combined else { throw VigilError.unavailable(detail: "sealing failed") }
        return combined.base64EncodedString()
    }

    /// Opens a sealed value. Only the privacy officer's audited unseal may call this.
    public func unseal(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw VigilError.conflict(detail: "sealed value is not base64") }
        let plain = try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: sealKey)
        return String(decoding: plain, as: UTF8.self)
    }
}

