import ArgumentParser
import Foundation
import VigilCore
import VigilServer

/// `vigil hash`: perceptual hashes of local files, for operators (checking a bank entry, a match).
struct Hash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Perceptual hashes of image and video files.",
                                                    subcommands: [PDQCommand.self, VPDQCommand.self, Bench.self, BenchMatch.self])

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

extension Hash {
    /// `vigil hash vpdq`: a video's frame hashes, as the vPDQ reference writes them.
    struct VPDQCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vpdq",
            abstract: "The vPDQ hashes of each video: one line per hashed frame, 'frame,quality,hash,timestamp' (the reference's format, "
                + "which signals of type vpdq take); several files are each headed by a '# path' line.")
        @Argument(help: "Video files (anything ffmpeg reads).") var files: [String]
        @Option(help: "Seconds between hashed frames (0: every frame).") var secondsPerHash: Double = 1
        func validate() throws {
            guard secondsPerHash >= 0, secondsPerHash <= 3_600 else { throw ValidationError("--seconds-per-hash must be from 0 to 3600") }
        }

        func run() async throws {
            var failed = false
            for path in files {
                do {
                    let video = try await VideoHasher.hash(path: path, secondsPerHash: secondsPerHash)
                    if files.count > 1 { print("# \(path)") }
                    for frame in video.frames { print(frame.line) }
                    if video.truncated {
                        FileHandle.standardError.write(Data("\(path): only the first \(Int(VideoHasher.maxSeconds)) s were hashed\n".utf8))
                    }
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// `vigil hash bench`: how fast this machine hashes an already decoded image, for comparing
    /// with other implementations on the same pixels (scripts/bench-pdq.sh).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode an image once, then hash it repeatedly in process: images per second for PDQ and for PDQ with its 8 dihedral variants.")
        @Argument(help: "An image file.") var file: String
        @Option(help: "Seconds to hash for, per measure (0.1–600).") var seconds: Double = 3

        func validate() throws {
            guard seconds >= 0.1, seconds <= 600 else { throw ValidationError("--seconds must be from 0.1 to 600") }
        }

        func run() throws {
            let image = try ImageDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: file))))
            print("image \(image.width)x\(image.height) \(file)")
            for (name, work) in [
                ("pdq", { _ = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height) }),
                ("pdq+dihedral", { _ = PDQ.dihedralHashes(rgb: image.rgb, width: image.width, height: image.height) }),
            ] as [(String, () -> Void)] {
                work()  // warm up
                let clock = ContinuousClock()
                let start = clock.now
                var count = 0
                while clock.now - start < .milliseconds(Int64(seconds * 1_000)) {
                    work()
                    count += 1
                }
                let elapsed = clock.now - start
                let perSecond = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                print("\(name)\t\(String(format: "%.1f", perSecond)) images/s\t\(String(format: "%.1f", 1e6 / perSecond)) µs each\t(\(count) in \(elapsed))")
            }
        }
    }
}
