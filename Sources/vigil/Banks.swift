import ArgumentParser
import Foundation
import VigilCore
import VigilServer

/// `vigil banks`: hash banks in the data directory: list them, create one, switch one off or roll
/// it out, import and export hash lists in the ThreatExchange/HMA text format.
struct Banks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hash banks: list, create, set (kill switch, roll-out ratio), import and export ('pdq HASH' lines).",
        subcommands: [List.self, Create.self, Set.self, Import.self, ExportBank.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each bank: enabled, roll-out ratio, contents, hashes, withdrawn contents.")
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let summaries = try await withApp(try data.configuration()) { app in try await app.banks.list() }
            print(["bank", "enabled", "ratio", "contents", "hashes", "withdrawn", "description"].joined(separator: "\t"))
            for s in summaries {
                print([s.bank.name, s.bank.enabled ? "yes" : "no", String(s.bank.enabledRatio), "\(s.tally.contents)", "\(s.tally.hashes)",
                       "\(s.tally.removed)", s.bank.description ?? ""].joined(separator: "\t"))
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty bank.")
        @Argument(help: "The bank's name (a-z, 0-9, '-', '_').") var bank: String
        @Option(help: "What the bank holds and where it comes from.") var description: String?
        @Option(help: "The share of subjects matched against it, 0 to 1.") var enabledRatio: Double = 1
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let (name, description, ratio) = (bank, description, enabledRatio)
            let created = try await Banks.refusals { try await withApp(try data.configuration()) { app in
                try await app.banks.create(name: name, description: description, enabledRatio: ratio, by: "operator")
            } }
            print("created bank \(created.name) (enabled, ratio \(created.enabledRatio))")
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Switch a bank on or off (the kill switch) or change its roll-out ratio.")
        @Argument(help: "The bank's name.") var bank: String
        @Flag(inversion: .prefixedEnableDisable, help: "Match against the bank, or not.") var matching: Bool?
        @Option(help: "The share of subjects matched against it, 0 to 1.") var enabledRatio: Double?
        @Option(help: "A new description.") var description: String?
        @OptionGroup var data: DataDirectoryOptions

        func validate() throws {
            guard matching != nil || enabledRatio != nil || description != nil else {
                throw ValidationError("give --enable-matching, --disable-matching, --enabled-ratio or --description")
            }
        }

        func run() async throws {
            let (name, enabled, ratio, description) = (bank, matching, enabledRatio, description)
            let bank = try await Banks.refusals { try await withApp(try data.configuration()) { app in
                try await app.banks.update(name: name, enabled: enabled, enabledRatio: ratio, description: description, by: "operator")
            } }
            print("bank \(bank.name): \(bank.enabled ? "enabled" : "disabled"), ratio \(bank.enabledRatio)")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a hash list into a bank (made if missing): 'pdq HASH' lines (python-threatexchange, HMA) or bare hex hashes. "
                + "All of the file or none of it; hashes the bank holds are skipped.")
        @Argument(help: "The bank's name.") var bank: String
        @Argument(help: "The file ('-' for standard input).") var file: String
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                text = try String(contentsOfFile: file, encoding: .utf8)
            }
            let (name, fileName) = (bank, file == "-" ? "stdin" : file)
            let outcome = try await Banks.refusals { try await withApp(try data.configuration()) { app in
                try await app.banks.importFile(bank: name, text: text, fileName: fileName)
            } }
            let skipped = outcome.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            print("bank \(outcome.bank): \(outcome.added) hashes added, \(outcome.alreadyPresent) already there, \(outcome.repeats) repeated in the file"
                  + (skipped.isEmpty ? "" : ", skipped lines of other types: \(skipped)") + " (provenance \(outcome.reference))")
        }
    }

    struct ExportBank: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a bank's hashes in force as 'pdq HASH' lines.")
        @Argument(help: "The bank's name.") var bank: String
        @Option(name: .shortAndLong, help: "The file to write (default: standard output).") var output: String?
        @OptionGroup var data: DataDirectoryOptions

        func run() async throws {
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else { throw ValidationError("cannot write \(output)") }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let name = bank
            let count = try await Banks.refusals { try await withApp(try data.configuration()) { app in
                try await app.banks.export(bank: name) { handle.write(Data($0.utf8)) }
            } }
            if output != nil { try handle.close() }
            FileHandle.standardError.write(Data("\(count) hashes exported from \(name)\n".utf8))
        }
    }

    /// A refusal (a bad name, an unknown bank, a malformed file) as a usage error, not a crash report.
    static func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as VigilError { throw ValidationError(error.description) }
    }
}
