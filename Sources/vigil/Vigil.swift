import ArgumentParser
import Foundation
import Logging
import VigilCore
import VigilServer

/// The `vigil` command: run the server and administer its data directory.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Vigil: reporting and moderation backend for short-video platforms.",
        version: VigilVersion.current,
        subcommands: [Serve.self, Migrate.self, Keys.self, Moderators.self, Rules.self, Hash.self, Banks.self, Export.self, Report.self, Audit.self, Simulate.self])
}

/// Options shared by every command that opens a data directory.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (env VIGIL_DATA_DIR; default ./vigil-data).")
    var dataDirectory: String?

    @Option(name: .customLong("database"), help: "A postgres:// URL to use PostgreSQL instead of the embedded SQLite (env VIGIL_DATABASE_URL).")
    var databaseURL: String?

    func configuration(policy: String? = nil, rules: String? = nil, classifiers: String? = nil, host: String? = nil, port: Int? = nil,
                       logLevel: String? = nil) throws -> ServerConfiguration {
        do {
            return try ServerConfiguration.resolve(flags: .init(
                host: host, port: port, dataDirectory: dataDirectory, policyPath: policy, rulesPath: rules, classifiersPath: classifiers,
                logLevel: logLevel, databaseURL: databaseURL))
        } catch let invalid as ServerConfiguration.Invalid {
            throw ValidationError(invalid.description)
        }
    }
}

/// Opens the data directory for an administrative command, with the store running and migrated,
/// and closes it afterwards.
func withApp<T: Sendable>(_ configuration: ServerConfiguration, _ body: (VigilApp) async throws -> T) async throws -> T {
    var logger = Logger(label: "vigil")
    logger.logLevel = .warning
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
    return try await app.withRunning(body)
}
