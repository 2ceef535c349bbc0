import Foundation
import HTTPTypes
import Logging
import NIOCore
import VigilCore
import VigilStore

/// Everything `vigil serve` needs, from flags or `VIGIL_*` environment variables (flags win).
/// Resolution reports every problem at once, so a bad deployment is fixed in one go.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var policyPath: String?
    /// Detection rules (YAML or JSON); nil for the built-in rules (with the built-in policy) or none.
    public var rulesPath: String?
    /// Media fetching and external classifiers (YAML or JSON); nil for none.
    public var classifiersPath: String?
    /// Whether the built-in text classifier scores subjects' titles and texts (`VIGIL_TEXT_CLASSIFIER=off` to stop it).
    public var textClassifier = true
    /// A PostgreSQL URL; nil for the embedded SQLite database in the data directory.
    public var databaseURL: String?
    public var databasePoolSize: Int = 10
    public var databaseConnectTimeoutSeconds: Double = 5
    public var logLevel: Logger.Level
    public var reportsPerMinutePerReporter: Int
    /// Credibility, misuse, strike and claim settings.
    public var rules: ModerationRules = .standard
    /// Base64 keys given in the environment; when absent, the key file in the data directory is used.
    public var lookupKey: String?
    public var sealKey: String?
    /// Idle, header and body timeouts of client connections.
    public var connectionTimeouts: ConnectionTimeouts = .standard
    /// Webhook delivery: retries, concurrency, and where webhook URLs may point.
    public var webhooks = WebhookDispatcher.Settings()
    /// The moderator console: session timeouts, lockout, second factors, media sources, sign-in rate.
    public var console = ConsoleSettings()

    public struct Flags: Sendable {
        public var host: String?
        public var port: Int?
        public var dataDirectory: String?
        public var policyPath: String?
        public var rulesPath: String?
        public var classifiersPath: String?
        public var logLevel: String?
        public var databaseURL: String?

        public init(host: String? = nil, port: Int? = nil, dataDirectory: String? = nil, policyPath: String? = nil, rulesPath: String? = nil,
                    classifiersPath: String? = nil, logLevel: String? = nil, databaseURL: String? = nil) {
            self.rulesPath = rulesPath
            self.classifiersPath = classifiersPath
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.policyPath = policyPath
            self.logLevel = logLevel
            self.databaseURL = databaseURL
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

        let rulesPath = flags.rulesPath ?? environment["VIGIL_RULES"]
        if let rulesPath, !FileManager.default.isReadableFile(atPath: rulesPath) {
            problems.append("rules (--rules / VIGIL_RULES): cannot read '\(rulesPath)'")
        }
        let classifiersPath = flags.classifiersPath ?? environment["VIGIL_CLASSIFIERS"]
        if let classifiersPath, !FileManager.default.isReadableFile(atPath: classifiersPath) {
            problems.append("classifiers (--classifiers / VIGIL_CLASSIFIERS): cannot read '\(classifiersPath)'")
        }
        var textClassifier = true
        if let text = environment["VIGIL_TEXT_CLASSIFIER"] {
            switch text.lowercased() {
            case "on": textClassifier = true
            case "off": textClassifier = false
            default: problems.append("VIGIL_TEXT_CLASSIFIER: '\(text)' must be on or off")
            }
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

        let rules = moderationRules(environment, problems: &problems)

        let databaseURL = flags.databaseURL ?? environment["VIGIL_DATABASE_URL"]
        if let databaseURL, !(databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://")) {
            problems.append("database (--database / VIGIL_DATABASE_URL): must be a postgres:// URL (leave it out for the embedded SQLite database)")
        } else if let databaseURL, let problem = Store.problem(withPostgresURL: databaseURL) {
            problems.append("database (--database / VIGIL_DATABASE_URL): \(problem)")
        }
        var poolSize = 10
        if let text = environment["VIGIL_DATABASE_POOL_SIZE"] {
            if let value = Int(text), (1...500).contains(value) { poolSize = value } else { problems.append("VIGIL_DATABASE_POOL_SIZE: '\(text)' must be from 1 to 500") }
        }
        var timeout = 5.0
        if let text = environment["VIGIL_DATABASE_TIMEOUT_SECONDS"] {
            if let value = Double(text), value > 0, value <= 300 { timeout = value } else { problems.append("VIGIL_DATABASE_TIMEOUT_SECONDS: '\(text)' must be a number of seconds up to 300") }
        }

        var timeouts = ConnectionTimeouts.standard
        func seconds(_ name: String, _ current: TimeAmount) -> TimeAmount {
            guard let text = environment[name] else { return current }
            guard let value = Double(text), value >= 0.1, value <= 3_600 else {
                problems.append("\(name): '\(text)' must be a number of seconds from 0.1 to 3600")
                return current
            }
            return .milliseconds(Int64(value * 1_000))
        }
        timeouts.idle = seconds("VIGIL_IDLE_TIMEOUT_SECONDS", timeouts.idle)
        timeouts.header = seconds("VIGIL_HEADER_TIMEOUT_SECONDS", timeouts.header)
        timeouts.body = seconds("VIGIL_BODY_TIMEOUT_SECONDS", timeouts.body)

        let webhooks = webhookSettings(environment, problems: &problems)
        let console = consoleSettings(environment, problems: &problems)

        guard problems.isEmpty, let logLevel else { throw Invalid(problems: problems) }
        var configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: dataDirectory, policyPath: policyPath, databaseURL: databaseURL,
            databasePoolSize: poolSize, databaseConnectTimeoutSeconds: timeout, logLevel: logLevel,
            reportsPerMinutePerReporter: rate, rules: rules, lookupKey: lookupKey, sealKey: sealKey, connectionTimeouts: timeouts,
            webhooks: webhooks)
        configuration.rulesPath = rulesPath
        configuration.textClassifier = textClassifier
        configuration.classifiersPath = classifiersPath
        configuration.console = console
        return configuration
    }

    /// Webhook settings from `VIGIL_WEBHOOK_RETRY_SCHEDULE` (seconds, comma-separated),
    /// `VIGIL_WEBHOOK_CONCURRENCY`, `VIGIL_WEBHOOK_DISABLE_AFTER_HOURS`,
    /// `VIGIL_WEBHOOK_ALLOW_HTTP_LOOPBACK` and `VIGIL_WEBHOOK_ALLOW_PRIVATE` (`1` or `0`).
    static func webhookSettings(_ environment: [String: String], problems: inout [String]) -> WebhookDispatcher.Settings {
        var settings = WebhookDispatcher.Settings()
        if let text = environment["VIGIL_WEBHOOK_RETRY_SCHEDULE"] {
            if let schedule = RetrySchedule(parsing: text) { settings.retryDelays = schedule.delays } else {
                problems.append("VIGIL_WEBHOOK_RETRY_SCHEDULE: '\(text)' must be 1 to 50 comma-separated delays in seconds, each from 0.1 to 604800")
            }
        }
        if let text = environment["VIGIL_WEBHOOK_CONCURRENCY"] {
            if let value = Int(text), (1...64).contains(value) { settings.concurrencyPerEndpoint = value } else {
                problems.append("VIGIL_WEBHOOK_CONCURRENCY: '\(text)' must be from 1 to 64 deliveries in flight per endpoint")
            }
        }
        if let text = environment["VIGIL_WEBHOOK_DISABLE_AFTER_HOURS"] {
            if let value = Double(text), value >= 0.01, value <= 8_760 { settings.disableAfterSeconds = value * 3_600 } else {
                problems.append("VIGIL_WEBHOOK_DISABLE_AFTER_HOURS: '\(text)' must be a number of hours from 0.01 to 8760")
            }
        }
        func flag(_ name: String) -> Bool {
            guard let text = environment[name] else { return false }
            switch text {
            case "1", "true": return true
            case "0", "false", "": return false
            default:
                problems.append("\(name): '\(text)' must be 1 or 0")
                return false
            }
        }
        settings.allowHTTPLoopback = flag("VIGIL_WEBHOOK_ALLOW_HTTP_LOOPBACK")
        settings.allowPrivateRanges = flag("VIGIL_WEBHOOK_ALLOW_PRIVATE")
        return settings
    }

    /// Console settings from `VIGIL_CONSOLE_IDLE_MINUTES`, `VIGIL_CONSOLE_SESSION_HOURS`,
    /// `VIGIL_CONSOLE_LOCK_AFTER`, `VIGIL_CONSOLE_LOCK_MINUTES`, `VIGIL_CONSOLE_ENROLMENT_HOURS`,
    /// `VIGIL_CONSOLE_SECOND_FACTOR_ROLES` (comma-separated; admin and privacy_officer always need one),
    /// `VIGIL_CONSOLE_SIGNIN_RATE_LIMIT` (attempts a minute per address), `VIGIL_CONSOLE_CLIENT_ADDRESS_HEADER`
    /// (the proxy's header with the client's address) and `VIGIL_CONSOLE_MEDIA_SOURCES`
    /// (space-separated Content-Security-Policy sources media previews may load from).
    static func consoleSettings(_ environment: [String: String], problems: inout [String]) -> ConsoleSettings {
        var settings = ConsoleSettings()
        func number(_ name: String, _ current: Double, range: ClosedRange<Double>) -> Double {
            guard let text = environment[name] else { return current }
            guard let value = Double(text), range.contains(value) else {
                problems.append("\(name): '\(text)' must be a number from \(range.lowerBound) to \(range.upperBound)")
                return current
            }
            return value
        }
        var rules = settings.rules
        rules.idleTimeoutSeconds = number("VIGIL_CONSOLE_IDLE_MINUTES", rules.idleTimeoutSeconds / 60, range: 0.1...1_440) * 60
        rules.absoluteTimeoutSeconds = number("VIGIL_CONSOLE_SESSION_HOURS", rules.absoluteTimeoutSeconds / 3_600, range: 0.1...168) * 3_600
        rules.lockAfterFailures = Int(number("VIGIL_CONSOLE_LOCK_AFTER", Double(rules.lockAfterFailures), range: 1...100))
        rules.lockSeconds = number("VIGIL_CONSOLE_LOCK_MINUTES", rules.lockSeconds / 60, range: 0.1...10_080) * 60
        rules.enrolmentHours = number("VIGIL_CONSOLE_ENROLMENT_HOURS", rules.enrolmentHours, range: 0.1...720)
        if let text = environment["VIGIL_CONSOLE_SECOND_FACTOR_ROLES"] {
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                if let role = ModeratorRole(rawValue: name) { rules.secondFactorRequired.insert(role) } else {
                    problems.append("VIGIL_CONSOLE_SECOND_FACTOR_ROLES: '\(name)' is not one of \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        settings.rules = rules
        settings.signInsPerMinutePerAddress = Int(number("VIGIL_CONSOLE_SIGNIN_RATE_LIMIT", Double(settings.signInsPerMinutePerAddress), range: 1...10_000))
        if let text = environment["VIGIL_CONSOLE_CLIENT_ADDRESS_HEADER"] {
            if HTTPField.Name(text) != nil, !text.isEmpty { settings.clientAddressHeader = text } else {
                problems.append("VIGIL_CONSOLE_CLIENT_ADDRESS_HEADER: '\(text)' is not a header name")
            }
        }
        if let text = environment["VIGIL_CONSOLE_MEDIA_SOURCES"] {
            let sources = text.split(whereSeparator: \.isWhitespace).map(String.init)
            let bad = sources.compactMap(ConsoleSettings.problem(withMediaSource:))
            if sources.isEmpty || sources.count > 50 {
                problems.append("VIGIL_CONSOLE_MEDIA_SOURCES: give 1 to 50 sources, separated by spaces")
            } else if !bad.isEmpty {
                problems.append("VIGIL_CONSOLE_MEDIA_SOURCES: " + bad.joined(separator: "; "))
            } else {
                settings.mediaSources = sources
            }
        }
        return settings
    }

    /// The moderation settings from `VIGIL_CLAIM_LEASE_SECONDS`, `VIGIL_MISUSE_*`, `VIGIL_STRIKE_*`,
    /// `VIGIL_LONE_CRITICAL_DEADLINE_HOURS`, `VIGIL_PROVEN_*`, `VIGIL_NEW_ACCOUNT_DAYS`, `VIGIL_SHIELD_*` and `VIGIL_(LIVE_)SETTLE_MINUTES`.
    static func moderationRules(_ environment: [String: String], problems: inout [String]) -> ModerationRules {
        var rules = ModerationRules.standard
        func number(_ name: String, _ current: Double, range: ClosedRange<Double>) -> Double {
            guard let text = environment[name] else { return current }
            guard let value = Double(text), range.contains(value) else {
                problems.append("\(name): '\(text)' must be a number from \(range.lowerBound) to \(range.upperBound)")
                return current
            }
            return value
        }
        rules.claimLeaseSeconds = number("VIGIL_CLAIM_LEASE_SECONDS", rules.claimLeaseSeconds, range: 10...86_400)
        rules.misuse.windowDays = number("VIGIL_MISUSE_WINDOW_DAYS", rules.misuse.windowDays, range: 1...3_650)
        rules.misuse.minDismissed = Int(number("VIGIL_MISUSE_MIN_DISMISSED", Double(rules.misuse.minDismissed), range: 1...100_000))
        rules.misuse.minDismissedShare = number("VIGIL_MISUSE_MIN_SHARE", rules.misuse.minDismissedShare, range: 0...1)
        rules.misuse.suspensionDays = number("VIGIL_MISUSE_SUSPENSION_DAYS", rules.misuse.suspensionDays, range: 1...3_650)
        rules.strikes.strikeLifetimeDays = number("VIGIL_STRIKE_LIFETIME_DAYS", rules.strikes.strikeLifetimeDays, range: 1...3_650)
        var independence = rules.independence
        independence.loneCriticalDeadlineHours = number("VIGIL_LONE_CRITICAL_DEADLINE_HOURS", independence.loneCriticalDeadlineHours, range: 0.05...720)
        independence.provenMinUpheld = number("VIGIL_PROVEN_MIN_UPHELD", independence.provenMinUpheld, range: 1...100_000)
        independence.provenMinAccuracy = number("VIGIL_PROVEN_MIN_ACCURACY", independence.provenMinAccuracy, range: 0.5...1)
        independence.newAccountDays = Int(number("VIGIL_NEW_ACCOUNT_DAYS", Double(independence.newAccountDays), range: 0...36_500))
        independence.shieldDays = number("VIGIL_SHIELD_DAYS", independence.shieldDays, range: 0.05...365)
        independence.shieldThresholdFactor = number("VIGIL_SHIELD_THRESHOLD_FACTOR", independence.shieldThresholdFactor, range: 1...100)
        independence.settleMinutes = number("VIGIL_SETTLE_MINUTES", independence.settleMinutes, range: 0...1_440)
        independence.liveSettleMinutes = number("VIGIL_LIVE_SETTLE_MINUTES", independence.liveSettleMinutes, range: 0...1_440)
        rules.independence = independence
        if let ladder = environment["VIGIL_STRIKE_LADDER"] {
            if let parsed = parseLadder(ladder) {
                rules.strikes = StrikePolicy(strikeLifetimeDays: rules.strikes.strikeLifetimeDays, ladder: parsed)
            } else {
                problems.append("VIGIL_STRIKE_LADDER: '\(ladder)' must look like '1:warning,3:live_access_removed:7,5:account_suspended:30' (strikes:action[:days])")
            }
        }
        return rules
    }

    static func parseLadder(_ text: String) -> [StrikeRung]? {
        var rungs: [StrikeRung] = []
        for part in text.split(separator: ",") {
            let fields = part.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (2...3).contains(fields.count), let strikes = Int(fields[0]), strikes > 0,
                  let action = AccountActionKind(rawValue: fields[1]) else { return nil }
            var days: Double?
            if fields.count == 3 {
                // Bounded like every other duration: a rung's days are printed as a whole number.
                guard let value = Double(fields[2]), value > 0, value <= 3_650 else { return nil }
                days = value
            }
            rungs.append(StrikeRung(strikes: strikes, action: action, days: days))
        }
        return rungs.isEmpty || Set(rungs.map(\.strikes)).count != rungs.count ? nil : rungs
    }

    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("vigil.sqlite") }
    public var keyFilePath: String { (dataDirectory as NSString).appendingPathComponent("vigil.keys") }
}
