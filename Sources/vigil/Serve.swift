import ArgumentParser
import Foundation
import Hummingbird
import Logging
import VigilCore
import VigilServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Vigil server.")

    @Option(help: "Address to listen on (env VIGIL_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env VIGIL_PORT; default 8080).") var port: Int?
    @Option(help: "Community-guidelines policy file, YAML or JSON (env VIGIL_POLICY; default: built in).") var policy: String?
    @Option(help: "Detection rules file, YAML or JSON (env VIGIL_RULES; default: re-uploads of removed content go down pending review, and with the built-in policy two text rules in shadow).") var rules: String?
    @Option(help: "Media fetching and external classifiers, YAML or JSON (env VIGIL_CLASSIFIERS; default: none).") var classifiers: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env VIGIL_LOG_LEVEL).") var logLevel: String?
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        let configuration = try data.configuration(policy: policy, rules: rules, classifiers: classifiers, host: host, port: port, logLevel: logLevel)
        var logger = Logger(label: "vigil")
        logger.logLevel = configuration.logLevel
        let app: VigilApp
        do {
            app = try await VigilApp.open(configuration: configuration, logger: logger)
        } catch let invalid as PolicyLoader.Invalid {
            throw ValidationError(invalid.description)
        } catch let invalid as RuleSetLoader.Invalid {
            throw ValidationError(invalid.description)
        } catch let invalid as DetectionSettings.Invalid {
            throw ValidationError(invalid.description)
        }
        logger.info("starting", metadata: [
            "data_dir": "\(configuration.dataDirectory)", "policy_version": "\(app.policy.version)",
            "rule_set_version": "\(app.detection.ruleSet.version)", "rules": "\(app.detection.ruleSet.rules.count)",
        ])
        // One service group runs the store, intake, maintenance and the server, and shuts them down
        // in order on SIGTERM or SIGINT.
        try await app.application(host: configuration.host, port: configuration.port, timeouts: configuration.connectionTimeouts, logger: logger).runService()
        logger.info("stopped")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations (serve also does this at start).")
    @OptionGroup var data: DataDirectoryOptions

    func run() async throws {
        // Opening the app applies pending migrations; report what the schema is at now.
        let versions = try await withApp(try data.configuration()) { try await $0.store.appliedMigrations() }
        print("migrations applied: \(versions.sorted().map(String.init).joined(separator: ", "))")
    }
}

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage platform API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys: id, state, scopes, label (never a secret).")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let keys = try await withApp(try data.configuration()) { try await $0.accessKeys.list() }
            for key in keys {
                let state = key.revokedAt.map { "revoked \($0.iso8601)" } ?? "active"
                print([key.id, state, key.scopes.joined(separator: ","), key.label ?? ""].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key by its id (the part after vgl_); recorded in the audit log.")
        @Argument(help: "The key's id, as `keys list` shows it.") var id: String
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            try await withApp(try data.configuration()) { try await $0.accessKeys.revoke(id: id) }
            FileHandle.standardError.write(Data("key \(id) revoked; running servers refuse it within 30 seconds.\n".utf8))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key; prints it once (only its hash is stored).")
        @Option(name: .customLong("scope"), help: "A scope the key holds; repeat for several. One of: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")).")
        var scopes: [String] = []
        @Option(help: "A label to recognise the key by.") var label: String?
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            let valid = Set(Scope.allCases.map(\.rawValue))
            if scopes.isEmpty { throw ValidationError("give at least one --scope (\(valid.sorted().joined(separator: ", ")))") }
            for scope in scopes where !valid.contains(scope) {
                throw ValidationError("'\(scope)' is not a scope; valid scopes: \(valid.sorted().joined(separator: ", "))")
            }
        }

        func run() async throws {
            let key = try await withApp(try data.configuration()) { try await $0.accessKeys.create(scopes: scopes, label: label) }
            print(key.token)
            FileHandle.standardError.write(Data("key \(key.id) created with scopes: \(key.scopes.joined(separator: " ")). It is shown only now.\n".utf8))
        }
    }
}

struct Moderators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage moderators.", subcommands: [Add.self, Enrol.self, List.self, Role.self, Disable.self])

    /// Prints an enrolment link's path, and the whole address when `VIGIL_PUBLIC_URL` names the console's site.
    static func printEnrolment(name: String, token: String, expiresAt: Timestamp) {
        let path = "/console/enrol/\(token)"
        let base = ProcessInfo.processInfo.environment["VIGIL_PUBLIC_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        FileHandle.standardError.write(Data("""
            console enrolment for \(name), good once until \(expiresAt.iso8601): \(base.map { $0 + path } ?? path)

            """.utf8))
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new one-time console enrolment link for a moderator (a reset: earlier links and sessions end).")
        @Argument(help: "The moderator's name.") var name: String
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let issued = try await withApp(try data.configuration()) { try await $0.console.issueEnrolment(name: name) }
            Moderators.printEnrolment(name: name, token: issued.token, expiresAt: issued.expiresAt)
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a moderator's role; recorded in the audit log.")
        @Argument(help: "The moderator's name.") var name: String
        @Argument(help: "The new role, one of: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            guard ModeratorRole(rawValue: role) != nil else {
                throw ValidationError("'\(role)' is not a role; roles: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await withApp(try data.configuration()) { try await $0.moderators.setRole(name: name, role: role) }
            FileHandle.standardError.write(Data("moderator \(name) now has the role \(role); running servers apply it within 30 seconds.\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List moderators: name, id, role, state.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let moderators = try await withApp(try data.configuration()) { try await $0.moderators.list() }
            for moderator in moderators {
                print([moderator.name, moderator.id, moderator.role.rawValue, moderator.disabled ? "disabled" : "active"].joined(separator: "\t"))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a moderator by name: their token stops working; recorded in the audit log.")
        @Argument(help: "The moderator's name.") var name: String
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            try await withApp(try data.configuration()) { try await $0.moderators.disable(name: name) }
            FileHandle.standardError.write(Data("moderator \(name) disabled; running servers refuse their token within 30 seconds.\n".utf8))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a moderator; prints their API token once (only its hash is stored) and a one-time console enrolment link.")
        @Argument(help: "The moderator's name, unique.") var name: String
        @Option(help: "One of: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            guard ModeratorRole(rawValue: role) != nil else {
                throw ValidationError("'\(role)' is not a role; roles: \(ModeratorRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let (added, enrolment) = try await withApp(try data.configuration()) { app in
                let added = try await app.moderators.add(name: name, role: role)
                return (added, try await app.console.issueEnrolment(name: name))
            }
            print(added.token)
            FileHandle.standardError.write(Data("moderator \(name) (\(added.id)) added with role \(role). The API token is shown only now.\n".utf8))
            Moderators.printEnrolment(name: name, token: enrolment.token, expiresAt: enrolment.expiresAt)
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify the audit log's hash chain; exits 1 if it is broken.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let configuration = try data.configuration()
            guard configuration.databaseURL != nil || FileManager.default.fileExists(atPath: configuration.databasePath) else {
                throw ValidationError("no Vigil database at \(configuration.databasePath)")
            }
            let result = try await withApp(configuration) { try await $0.store.verifyAuditLog() }
            switch result {
            case .intact(let count):
                print("OK: \(count) events, chain intact")
            case .broken(let failure):
                print("BROKEN: \(failure)")
                throw ExitCode(1)
            }
        }
    }
}
