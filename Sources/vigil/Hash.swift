import ArgumentParser
import Foundation
import VigilCore
import VigilServer

/// `vigil hash`: perceptual hashes of local files, for operators (checking a bank entry, a match).
struct Hash: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Perceptual hashes of image files.", subcommands: [PDQCommand.self])

    struct PDQCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pdq",
            abstract: "The PDQ hash of each image (JPEG, PNG, GIF, WebP), one line per file: hash quality path. Quality under 50 is not trusted for matching.")
        @Argument(help: "Image files.") var files: [String]

        func run() throws {
            var failed = false
            for path in files {
                do {
                    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                    let image = try ImageDecoder.decode(bytes)
                    let result = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)
                    print("\(result.hash.hex) \(result.quality) \(path)")
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
