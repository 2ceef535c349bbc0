import Foundation
import Synchronization
import VigilCore
#if canImport(Glibc)
import Glibc
#endif

/// vPDQ hashes of a video: ffmpeg decodes it (Debian's package), one frame per second by default
/// is kept (`frame % max(1, Int(seconds × fps)) == 0`, as the reference's hasher picks them), and
/// each kept frame is hashed with PDQ as it streams out of ffmpeg, so memory holds one frame at a
/// time whatever the video's length.
///
/// ffmpeg needs a file it can seek in (an MP4's index is often at its end), so an upload is written
/// to a private temporary file (a directory only Vigil's user can open) that is removed as soon as
/// ffmpeg is done, on errors too. Nothing else of the video is kept.
public enum VideoHasher {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What hashing a video gave.
    public struct Hashes: Sendable {
        public var frames: [VPDQFrame]
        public var framesPerSecond: Double
        /// Whether the video was longer than ``maxSeconds`` and only its beginning was hashed.
        public var truncated: Bool
    }

    /// At most this much of a video is hashed (an hour), and at most this many frames are kept.
    public static let maxSeconds = 3_600.0
    public static let maxFrames = 7_200
    static let timeoutSeconds = 600.0

    /// Hashes a video held in memory, through a private temporary file removed at once.
    public static func hash(bytes: [UInt8], secondsPerHash: Double = 1 / VPDQ.framesPerSecond) async throws -> Hashes {
        let directory = try privateDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/media"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write a temporary file: \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let count = write(fd, base + offset, buffer.count - offset)
                if count < 0 { if errno == EINTR { continue } else { return false } }
                offset += count
            }
            return true
        }
        close(fd)
        guard written else { throw Failure(description: "cannot write a temporary file: \(String(cString: strerror(errno)))") }
        return try await hash(path: path, secondsPerHash: secondsPerHash)
    }

    /// Hashes a video file (the `vigil hash vpdq` command, and uploads once written out).
    public static func hash(path: String, secondsPerHash: Double = 1 / VPDQ.framesPerSecond) async throws -> Hashes {
        guard secondsPerHash >= 0, secondsPerHash <= 3_600 else { throw Failure(description: "seconds per hash must be from 0 to 3600") }
        let fps = try await framesPerSecond(path)
        let every = max(1, Int(min(secondsPerHash * fps, 1e6)))
        let ffmpeg = try ImageDecoder.locate("ffmpeg", package: "ffmpeg")
        // Two decoding threads: one long upload must not take every core from the server.
        let arguments = ["-nostdin", "-loglevel", "error", "-threads", "2", "-i", path, "-map", "0:v:0", "-t", String(Int(maxSeconds)),
                         "-vf", "select=not(mod(n\\,\(every)))", "-fps_mode", "passthrough",
                         "-f", "image2pipe", "-vcodec", "ppm", "-pix_fmt", "rgb24", "pipe:1"]
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try stream(ffmpeg, arguments, every: every, fps: fps) })
            }.start()
        }
    }

    /// Runs ffmpeg and hashes each frame it writes, on the calling thread.
    static func stream(_ ffmpeg: String, _ arguments: [String], every: Int, fps: Double) throws -> Hashes {
        let out = try Subprocess.pipe(), err = try Subprocess.pipe()
        let pid: pid_t
        do {
            pid = try Subprocess.spawn(ffmpeg, arguments, stdout: out.write, stderr: err.write)
        } catch {
            for fd in [out.read, out.write, err.read, err.write] { close(fd) }
            throw error
        }
        close(out.write)
        close(err.write)
        let errors = Mutex<[UInt8]>([])
        let drained = DispatchSemaphore(value: 0)
        let errFD = err.read
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(errFD, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                errors.withLock { if $0.count < 4_096 { $0.append(contentsOf: buffer[0..<count]) } }
            }
            close(errFD)
            drained.signal()
        }
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: killer)

        var parser = PPMStream()
        var frames: [VPDQFrame] = []
        var failure: (any Error)?
        var truncated = false
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        reading: while true {
            let count = chunk.withUnsafeMutableBytes { read(out.read, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            parser.append(chunk[0..<count])
            do {
                while let image = try parser.next() {
                    let number = frames.count * every
                    let result = PDQ.hash(rgb: image.rgb, width: image.width, height: image.height)
                    frames.append(VPDQFrame(frame: number, quality: result.quality, hash: result.hash, timestamp: Double(number) / fps))
                    if frames.count >= maxFrames {
                        truncated = true
                        kill(pid, SIGKILL)
                        break reading
                    }
                }
            } catch {
                failure = error
                kill(pid, SIGKILL)
                break
            }
        }
        close(out.read)
        let (status, signalled) = Subprocess.wait(pid)
        killer.cancel()
        drained.wait()
        if let failure { throw failure }
        if !truncated, signalled || status != 0 {
            let detail = String(decoding: errors.withLock { $0 }.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: signalled ? "ffmpeg took longer than \(Int(timeoutSeconds)) s" : "ffmpeg could not decode the video\(detail.isEmpty ? "" : ": \(detail)")")
        }
        guard !frames.isEmpty else { throw Failure(description: "the video has no frames ffmpeg could decode") }
        // A video longer than the bound: ffmpeg stopped at `-t`; the frames kept say how far it got.
        if let last = frames.last, last.timestamp + Double(every) / fps > maxSeconds { truncated = true }
        return Hashes(frames: frames, framesPerSecond: fps, truncated: truncated)
    }

    /// The video stream's frame rate, as ffprobe reads it (the average, else the nominal one).
    static func framesPerSecond(_ path: String) async throws -> Double {
        let ffprobe = try ImageDecoder.locate("ffprobe", package: "ffmpeg")
        let output = try await Subprocess.run(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate,r_frame_rate",
                                                        "-of", "csv=p=0", path], timeout: 30)
        let text = String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard output.succeeded, !text.isEmpty else {
            let detail = String(decoding: output.stderr.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "not a video ffmpeg can read\(detail.isEmpty ? "" : ": \(detail)")")
        }
        for rate in text.split(whereSeparator: { $0 == "," || $0 == "\n" }).reversed() {
            let parts = rate.split(separator: "/")
            guard let numerator = parts.first.flatMap({ Double($0) }) else { continue }
            let denominator = parts.count == 2 ? Double(parts[1]) ?? 0 : 1
            let fps = denominator > 0 ? numerator / denominator : 0
            if fps.isFinite, fps > 0, fps <= 1_000 { return fps }
        }
        throw Failure(description: "the video states no frame rate")
    }

    /// A directory under the system's temporary directory that only this user can open.
    static func privateDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/vigil-media-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw Failure(description: "cannot make a temporary directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}

/// Binary PPM images (P6) read one after another from a stream, as ffmpeg's image pipe writes them.
struct PPMStream {
    private var buffer: [UInt8] = []
    private var start = 0

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        // Drop what was consumed before growing, so the buffer holds about one frame.
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole image, or nil until more bytes arrive.
    mutating func next() throws -> DecodedImage? {
        var index = start
        var tokens: [String] = []
        while tokens.count < 4 {
            while index < buffer.count, [9, 10, 13, 32].contains(buffer[index]) { index += 1 }
            let tokenStart = index
            while index < buffer.count, ![9, 10, 13, 32].contains(buffer[index]) { index += 1 }
            guard index < buffer.count else { return nil }
            guard index - tokenStart <= 10 else { throw ImageDecoder.Failure(description: "ffmpeg's output is not a stream of PPM images") }
            tokens.append(String(decoding: buffer[tokenStart..<index], as: UTF8.self))
        }
        guard tokens[0] == "P6", tokens[3] == "255", let width = Int(tokens[1]), let height = Int(tokens[2]), width > 0, height > 0,
              width <= 1 << 16, height <= 1 << 16, width * height <= ImageDecoder.maxPixels
        else { throw ImageDecoder.Failure(description: "ffmpeg's output is not a stream of 8-bit RGB images within \(ImageDecoder.maxPixels / 1_000_000) megapixels") }
        index += 1  // the single whitespace after maxval
        let size = width * height * 3
        guard buffer.count - index >= size else { return nil }
        let image = DecodedImage(width: width, height: height, rgb: Array(buffer[index..<index + size]))
        start = index + size
        return image
    }
}
