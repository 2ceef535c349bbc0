import Foundation
import Logging

/// Everything `vigil serve` needs, from flags or `VIGIL_*` environment variables (flags win).
/// Resolution reports every problem at once, so a bad deployment is fixed in one go.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var policyPath: String?
    public var logLevel: Logger.Level
    public var reportsPerMinutePerReporter: Int
    /// Base64 keys given in the environment; when absent, the key file in the data directory is used.
    public var lookupKey: String?
    public var sealKey: String?

    public struct Flags: Sendable {
        public var host: String?
        public var port: Int?
        public var dataDirectory: String?
        public var policyPath: String?
        public var logLevel: String?

        public init(host: String? = nil, port: Int? = nil, dataDirectory: String? = nil, policyPath: String? = nil, logLevel: String? = nil) {
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.policyPath = policyPath
            self.logLevel = logLevel
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
    }

    public static func resolve(flags: Flags, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerConfiguration {
        var problems: [String] = []
        let host = flags.host ?? environment["VIGIL_HOST"] ?? "127.0.0.1"
        if host.isEmpty { problems.append("host (--host / VIGIL_HOST): must not be empty") }

        var port = 8080
        if let value = flags.port {
            port = value
        } else if let text = environment["VIGIL_PORT"] {
            if let value = Int(text) { port = value } else { problems.append("port (VIGIL_PORT): '\(text)' is not a number") }
        }
        if !(0...65_535).contains(port) { problems.append("port (--port / VIGIL_PORT): \(port) is not between 0 and 65535") }

        let dataDirectory = flags.dataDirectory ?? environment["VIGIL_DATA_DIR"] ?? "./vigil-data"
        if dataDirectory.isEmpty { problems.append("data directory (--data-dir / VIGIL_DATA_DIR): must not be empty") }

        let policyPath = flags.policyPath ?? environment["VIGIL_POLICY"]
        if let policyPath, !FileManager.default.isReadableFile(atPath: policyPath) {
            problems.append("policy (--policy / VIGIL_POLICY): cannot read '\(policyPath)'")
        }

        let levelText = flags.logLevel ?? environment["VIGIL_LOG_LEVEL"] ?? "info"
        let logLevel = Logger.Level(rawValue: levelText.lowercased())
        if logLevel == nil {
            problems.append("log level (--log-level / VIGIL_LOG_LEVEL): '\(levelText)' is not one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }

        var rate = 30
        if let text = environment["VIGIL_REPORTER_RATE_LIMIT"] {
            if let value = Int(text), value > 0 { rate = value } else { problems.append("VIGIL_REPORTER_RATE_LIMIT: '\(text)' is not a positive number of reports per minute") }
        }

        let lookupKey = environment["VIGIL_LOOKUP_KEY"]
        let sealKey = environment["VIGIL_SEAL_KEY"]
        if (lookupKey == nil) != (sealKey == nil) {
            problems.append("VIGIL_LOOKUP_KEY and VIGIL_SEAL_KEY: give both or neither")
        }
        for (name, value) in [("VIGIL_LOOKUP_KEY", lookupKey), ("VIGIL_SEAL_KEY", sealKey)] {
            if let value, Data(base64Encoded: value)?.count != 32 {
                problems.append("\(name): must be 32 bytes, base64-encoded")
            }
        }

        guard problems.isEmpty, let logLevel else { throw Invalid(problems: problems) }
        return ServerConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, policyPath: policyPath, logLevel: logLevel,
            reportsPerMinutePerReporter: rate, lookupKey: lookupKey, sealKey: sealKey)
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("vigil.sqlite") }
    public var keyFilePath: String { (dataDirectory as NSString).appendingPathComponent("vigil.keys") }
}
