import Foundation
import NIOSSL
import PostgresNIO
import VigilCore

extension Store {
    /// What is wrong with a PostgreSQL URL, or nil if it can be used: for validating configuration
    /// before anything is opened, with every other problem.
    public static func problem(withPostgresURL url: String) -> String? {
        do {
            _ = try PostgresURL(url)
            return nil
        } catch {
            if case .invalidField(_, let detail) = error { return detail }
            return "\(error)"
        }
    }
}

/// A `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]` URL, read the way
/// libpq reads it, so the URL an operator already has for `psql` works here.
///
/// `sslmode`: `disable`; `prefer` (the default, as in libpq: TLS if the server offers it);
/// `require` (TLS or no connection, certificate not checked); `verify-ca` (the certificate must
/// chain to `sslrootcert`, or the system's roots); `verify-full` (and name the host).
struct PostgresURL {
    enum SSLMode: String, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?
    var sslMode: SSLMode
    var rootCertificatePath: String?

    init(_ text: String) throws(VigilError) {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty else {
            throw .invalidField(field: "database", detail: "must look like postgres://user[:password]@host[:port]/database")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password
        let database = String(components.path.drop(while: { $0 == "/" }))
        self.database = database.isEmpty ? nil : database
        var mode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw .invalidField(field: "database", detail: "sslmode must be one of: \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                mode = value
            case "sslrootcert":
                guard let path = item.value, !path.isEmpty else { throw .invalidField(field: "database", detail: "sslrootcert needs a file path") }
                rootCertificatePath = path
            default:
                throw .invalidField(field: "database", detail: "unsupported URL parameter '\(item.name.prefix(64))' (supported: sslmode, sslrootcert)")
            }
        }
        self.sslMode = mode
        if let path = rootCertificatePath, !FileManager.default.isReadableFile(atPath: path) {
            throw .invalidField(field: "database", detail: "sslrootcert '\(path)' is not a readable file")
        }
    }

    /// PostgresNIO's TLS setting for this URL.
    var tls: PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let rootCertificatePath { configuration.trustRoots = .file(rootCertificatePath) }
        switch sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            // As libpq: encrypted, but the certificate is not checked without verify-ca/verify-full.
            configuration.certificateVerification = .none
            return sslMode == .prefer ? .prefer(configuration) : .require(configuration)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
            return .require(configuration)
        }
    }
}
