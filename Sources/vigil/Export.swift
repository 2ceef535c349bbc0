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
                try await StatementExport(store: app.store, policy: app.policy, keyring: app.keyring).bulkLines(since: start)
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

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reports computed from the audit log.", subcommands: [Transparency.self])

    struct Transparency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The DSA transparency-report figures for a period [from, to).")
        @Option(help: "Start of the period (YYYY-MM-DD, UTC, or ISO 8601).") var from: String
        @Option(help: "End of the period, exclusive.") var to: String
        @Option(help: "json or text.") var format: String = "text"
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            guard Timestamp.parse(from) != nil else { throw ValidationError("--from '\(from)' is not a date (YYYY-MM-DD) or ISO 8601 time") }
            guard Timestamp.parse(to) != nil else { throw ValidationError("--to '\(to)' is not a date (YYYY-MM-DD) or ISO 8601 time") }
            guard ["json", "text"].contains(format) else { throw ValidationError("--format must be json or text") }
        }

        func run() async throws {
            guard let start = Timestamp.parse(from), let end = Timestamp.parse(to) else { throw ValidationError("bad dates") }
            let report = try await withApp(try data.configuration()) { try await TransparencyReporting(store: $0.store).report(from: start, to: end) }
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.text)
            }
        }
    }
}
