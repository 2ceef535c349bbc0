import Foundation
import VigilCore

/// An image decoded to 8-bit RGB, rows top to bottom.
public struct DecodedImage: Sendable {
    public var width: Int
    public var height: Int
    public var rgb: [UInt8]
}

/// Decodes images to the pixels PDQ's reference hashes were made from: JPEG with libjpeg-turbo
/// (`djpeg`, Debian's libjpeg-turbo-progs, the decoder the goldens assume, progressive JPEG
/// included), other formats with ffmpeg (PNG is lossless, so any correct decoder gives the same
/// pixels). The bytes go to the decoder through a pipe and its output comes back through one:
/// nothing is written to disk. Sizes are read from the file's header first, and an image over
/// ``maxPixels`` is refused before it is decoded.
///
/// Decoding is delegated to those programs rather than linked: linking libjpeg would make every
/// build of Vigil need its development headers, and only media hashing needs a decoder.
public enum ImageDecoder {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// 50 megapixels: far beyond any frame worth hashing, and a bound on memory (150 MB of RGB).
    public static let maxPixels = 50_000_000
    static let timeoutSeconds = 20.0

    public static func decode(_ bytes: [UInt8]) throws -> DecodedImage {
        let (tool, arguments, package) = try command(for: bytes)
        return try parsePPM(try run(tool: tool, arguments: arguments, input: bytes, package: package))
    }

    /// ``decode(_:)`` for async callers: the decoder runs on a thread of its own, not on one of
    /// Swift's cooperative pool.
    public static func decode(_ bytes: [UInt8]) async throws -> DecodedImage {
        let (tool, arguments, package) = try command(for: bytes)
        let path = try locate(tool, package: package)
        return try parsePPM(try check(try await Subprocess.run(path, arguments, input: bytes, timeout: timeoutSeconds), tool: tool))
    }

    /// The decoder for an image, after its header's size was checked.
    static func command(for bytes: [UInt8]) throws -> (tool: String, arguments: [String], package: String) {
        guard let (width, height, format) = ImageHeader.read(bytes) else {
            throw Failure(description: "not a JPEG, PNG, GIF or WebP image")
        }
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16, width * height <= maxPixels else {
            throw Failure(description: "\(width)×\(height) is over the \(maxPixels / 1_000_000) megapixel limit")
        }
        switch format {
        case .jpeg:
            return ("djpeg", ["-ppm"], "libjpeg-turbo-progs")
        case .png, .gif, .webp:
            // A 16-bit PNG comes out at 16 bits and is reduced here to the high byte (libpng's
            // strip-16), one fixed rule where ffmpeg's own reduction would round; 8-bit images come
            // out as they are.
            let sixteen = format == .png && bytes.count > 24 && bytes[24] == 16
            return ("ffmpeg", ["-nostdin", "-loglevel", "error", "-i", "pipe:0", "-frames:v", "1", "-f", "image2pipe",
                               "-vcodec", "ppm", "-pix_fmt", sixteen ? "rgb48be" : "rgb24", "pipe:1"], "ffmpeg")
        }
    }

    /// A binary PPM (P6, maxval 255 or 65535), as djpeg and ffmpeg write it; 16-bit samples keep their high byte.
    static func parsePPM(_ data: [UInt8]) throws -> DecodedImage {
        var index = 0
        func token() -> String? {
            while index < data.count {
                if data[index] == UInt8(ascii: "#") {
                    while index < data.count, data[index] != UInt8(ascii: "\n") { index += 1 }
                } else if [9, 10, 13, 32].contains(data[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < data.count, ![9, 10, 13, 32].contains(data[index]) { index += 1 }
            return start < index ? String(decoding: data[start..<index], as: UTF8.self) : nil
        }
        guard token() == "P6", let width = token().flatMap(Int.init), let height = token().flatMap(Int.init), let maxval = token(),
              maxval == "255" || maxval == "65535", width > 0, height > 0, width * height <= maxPixels
        else { throw Failure(description: "the decoder's output is not an RGB image") }
        index += 1  // the single whitespace after maxval
        let bytesPerSample = maxval == "255" ? 1 : 2
        let size = width * height * 3 * bytesPerSample
        guard data.count - index >= size else { throw Failure(description: "the decoder's output is truncated") }
        if bytesPerSample == 1 { return DecodedImage(width: width, height: height, rgb: Array(data[index..<index + size])) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for sample in 0..<rgb.count { rgb[sample] = data[index + sample * 2] }
        return DecodedImage(width: width, height: height, rgb: rgb)
    }

    /// Runs `tool` with `input` on its standard input; returns its standard output.
    static func run(tool: String, arguments: [String], input: [UInt8], package: String) throws -> [UInt8] {
        try check(try Subprocess.run(try locate(tool, package: package), arguments, input: input, timeout: timeoutSeconds), tool: tool)
    }

    /// Where a decoding program is installed.
    static func locate(_ tool: String, package: String) throws -> String {
        guard let path = ["/usr/bin", "/usr/local/bin", "/bin"].map({ "\($0)/\(tool)" }).first(where: FileManager.default.isExecutableFile) else {
            throw Failure(description: "\(tool) is not installed (Debian package \(package)); it decodes media for hashing")
        }
        return path
    }

    /// The program's output, or why it failed.
    static func check(_ output: Subprocess.Output, tool: String) throws -> [UInt8] {
        guard output.succeeded else {
            let detail = String(decoding: output.stderr.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(description: "\(tool) could not decode the image\(detail.isEmpty ? "" : ": \(detail)")")
        }
        return output.stdout
    }
}

/// The format and size an image's header states, read without decoding it.
enum ImageHeader {
    enum Format { case jpeg, png, gif, webp }

    static func read(_ b: [UInt8]) -> (width: Int, height: Int, format: Format)? {
        if b.count >= 24, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A][...] {
            return (be32(b, 16), be32(b, 20), .png)
        }
        if b.count >= 10, b[0..<3] == [0x47, 0x49, 0x46][...] {
            return (Int(b[6]) | Int(b[7]) << 8, Int(b[8]) | Int(b[9]) << 8, .gif)
        }
        if b.count >= 30, b[0..<4] == [0x52, 0x49, 0x46, 0x46][...], b[8..<12] == [0x57, 0x45, 0x42, 0x50][...] {
            switch String(decoding: b[12..<16], as: UTF8.self) {
            case "VP8X": return (1 + (Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16), 1 + (Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16), .webp)
            case "VP8 ": return (Int(b[26]) | Int(b[27] & 0x3F) << 8, Int(b[28]) | Int(b[29] & 0x3F) << 8, .webp)
            case "VP8L":
                let bits = UInt32(b[21]) | UInt32(b[22]) << 8 | UInt32(b[23]) << 16 | UInt32(b[24]) << 24
                return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1, .webp)
            default: return nil
            }
        }
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            // Walk the markers to the first start-of-frame, which holds the size.
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                    return (Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6]), .jpeg)
                }
                guard length >= 2 else { return nil }
                i += 2 + length
            }
        }
        return nil
    }

    private static func be32(_ b: [UInt8], _ at: Int) -> Int {
        Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }
}
