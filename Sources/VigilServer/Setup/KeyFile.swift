import Crypto
import Foundation
import VigilStore

/// The reporter keyring's secrets: from configuration, or from a key file in the data directory
/// that is created on first start, readable by its owner only (0600).
public enum KeyFile {
    struct Contents: Codable {
        var lookupKey: String
        var sealKey: String

        enum CodingKeys: String, CodingKey {
            case lookupKey = "lookup_key"
            case sealKey = "seal_key"
        }
    }

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func keyring(configuration: ServerConfiguration) throws -> ReporterKeyring {
        if let lookup = configuration.lookupKey, let seal = configuration.sealKey,
           let lookupData = Data(base64Encoded: lookup), let sealData = Data(base64Encoded: seal) {
            return ReporterKeyring(lookupKey: SymmetricKey(data: lookupData), sealKey: SymmetricKey(data: sealData))
        }
        return try loadOrCreate(path: configuration.keyFilePath)
    }

    public static func loadOrCreate(path: String) throws -> ReporterKeyring {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let contents = Contents(
                lookupKey: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() },
                sealKey: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })
            let data = try JSONEncoder().encode(contents)
            // Created with 0600 from the start, never briefly readable by others; O_EXCL so two
            // processes starting at once cannot both write a different key.
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 {
                defer { close(fd) }
                let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard written == data.count, fsync(fd) == 0 else { throw Problem(description: "could not write the key file at \(path)") }
            } else if errno != EEXIST {
                throw Problem(description: "could not create the key file at \(path): \(String(cString: strerror(errno)))")
            }
        }
        let attributes = try manager.attributesOfItem(atPath: path)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw Problem(description: "the key file \(path) is readable by others (mode \(String(mode, radix: 8))); run chmod 600 on it")
        }
        let contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let lookup = Data(base64Encoded: contents.lookupKey), lookup.count == 32,
              let seal = Data(base64Encoded: contents.sealKey), seal.count == 32
        else { throw Problem(description: "the key file \(path) does not hold two 32-byte base64 keys") }
        return ReporterKeyring(lookupKey: SymmetricKey(data: lookup), sealKey: SymmetricKey(data: seal))
    }
}
