import ArgumentParser
import Foundation
import VigilCore
import VigilServer

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data for regulators.", subcommands: [StatementsOfReasons.self])

    struct StatementsOfReasons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sor",
            abstract: "Statements of reasons for the EU Transparency Database, as JSON lines of bulk request bodies (at most 100 statements each).")
        @Option(help: "Restrictions applied from this date (YYYY-MM-DD, UTC) or time (ISO 8601).") var since: String
        @Option(help: "Write to this file instead of standard output.") var out: String?
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            guard Timestamp.parse(since) != nil else { throw ValidationError("--since '\(since)' is not a date (YYYY-MM-DD) or ISO 8601 time") }
        }

        func run() async throws {
            guard let start = Timestamp.parse(since) else { throw ValidationError("--since is not a date") }
            let (lines, count) = try await withApp(try data.configuration()) { app in
                try await StatementExport(store: app.store, policy: app.policy).bulkLines(since: start)
            }
            let text = lines.map { $0 + "\n" }.joined()
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
            FileHandle.standardError.write(Data("\(count) statements in \(lines.count) bulk requests, all valid\n".utf8))
        }
    }
}
