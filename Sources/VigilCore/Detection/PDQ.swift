import Foundation

/// A 256-bit PDQ perceptual hash (Meta's open standard for images and video frames), with the
/// quality of the image it was computed from.
public struct PDQHash: Hashable, Sendable, CustomStringConvertible {
    /// The 256 bits as four words, `words[0]` holding bits 0–63.
    public var words: (UInt64, UInt64, UInt64, UInt64)

    public init(words: (UInt64, UInt64, UInt64, UInt64)) {
        self.words = words
    }

    /// From 64 lowercase hex digits (the standard form: bit 255 first).
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var parsed: [UInt64] = []
        for start in stride(from: 0, to: 64, by: 16) {
            guard let value = UInt64(String(decoding: digits[start..<start + 16], as: UTF8.self), radix: 16),
                  digits[start..<start + 16].allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
            else { return nil }
            parsed.append(value)
        }
        words = (parsed[3], parsed[2], parsed[1], parsed[0])
    }

    /// 64 lowercase hex digits, bit 255 first.
    public var hex: String {
        [words.3, words.2, words.1, words.0].map { word in
            let text = String(word, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    public var description: String { hex }

    /// The number of bits that differ.
    public func distance(to other: PDQHash) -> Int {
        (words.0 ^ other.words.0).nonzeroBitCount + (words.1 ^ other.words.1).nonzeroBitCount
            + (words.2 ^ other.words.2).nonzeroBitCount + (words.3 ^ other.words.3).nonzeroBitCount
    }

    public static func == (a: PDQHash, b: PDQHash) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// The bit `index` (0–255).
    public func bit(_ index: Int) -> Bool {
        let word = switch index >> 6 {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
        return (word >> UInt64(index & 63)) & 1 == 1
    }
}

/// PDQ, bit-exact with Meta's reference on the same pixels (`../shared/pdq-spec.md`): luma, the
/// two-pass Jarosz tent blur, decimation to 64×64, quality, the 16×16 corner of the DCT, the
/// median threshold; and the eight dihedral variants computed from the DCT. All arithmetic is
/// Float32 in the reference's order, so the same pixels give the same bits.
public enum PDQ {
    /// Below this quality a hash is not trusted for matching (pytx `QUALITY_THRESHOLD`).
    public static let minimumQuality = 50
    /// The confident-match distance (pytx `PDQ_CONFIDENT_MATCH_THRESHOLD`).
    public static let matchDistance = 31

    /// A hash and the quality of the image it came from (0–100).
    public struct Result: Sendable, Equatable {
        public var hash: PDQHash
        public var quality: Int
    }

    /// The hash of an 8-bit RGB image (`width × height × 3` bytes, rows top to bottom).
    public static func hash(rgb: [UInt8], width: Int, height: Int) -> Result {
        hashWithVariants(rgb: rgb, width: width, height: height, variants: false).first ?? Result(hash: PDQHash(words: (0, 0, 0, 0)), quality: 0)
    }

    /// The hash and its seven dihedral variants (rotations by 90°, 180°, 270°, flips about the
    /// vertical and horizontal axes and both diagonals), in that order, for matching rotated or
    /// flipped copies.
    public static func dihedralHashes(rgb: [UInt8], width: Int, height: Int) -> [Result] {
        hashWithVariants(rgb: rgb, width: width, height: height, variants: true)
    }

    static func hashWithVariants(rgb: [UInt8], width: Int, height: Int, variants: Bool) -> [Result] {
        guard width >= 5, height >= 5, width <= 1 << 15, height <= 1 << 15, rgb.count >= width * height * 3 else {
            return [Result(hash: PDQHash(words: (0, 0, 0, 0)), quality: 0)]
        }
        let luma = Self.luma(rgb: rgb, width: width, height: height)
        return hashWithVariants(luma: luma, width: width, height: height, variants: variants)
    }

    /// The hash of a luma plane (Float32, `width × height`).
    public static func hash(luma: [Float], width: Int, height: Int) -> Result {
        hashWithVariants(luma: luma, width: width, height: height, variants: false).first ?? Result(hash: PDQHash(words: (0, 0, 0, 0)), quality: 0)
    }

    static func hashWithVariants(luma: [Float], width: Int, height: Int, variants: Bool) -> [Result] {
        guard width >= 5, height >= 5, luma.count >= width * height else { return [Result(hash: PDQHash(words: (0, 0, 0, 0)), quality: 0)] }
        var buffer = luma
        blur(&buffer, rows: height, cols: width)
        let decimated = decimate(buffer, rows: height, cols: width)
        let quality = Self.quality(decimated)
        let dct = Self.dct(decimated)
        guard variants else { return [Result(hash: threshold(dct), quality: quality)] }
        return dihedral(dct).map { Result(hash: threshold($0), quality: quality) }
    }

    // MARK: Steps

    /// Luma in Double, rounded to Float, as pdqhash computes it. The C++ works in Float: the two
    /// agree on every staged image, but not on every low-quality one, and pdqhash is the
    /// reference Vigil is checked against (scripts/detection/pdq-compare.py).
    static func luma(rgb: [UInt8], width: Int, height: Int) -> [Float] {
        let r = 0.299, g = 0.587, b = 0.114
        var out = [Float](repeating: 0, count: width * height)
        rgb.withUnsafeBufferPointer { pixels in
            for index in 0..<(width * height) {
                let p = index * 3
                out[index] = Float(r * Double(pixels[p]) + g * Double(pixels[p + 1]) + b * Double(pixels[p + 2]))
            }
        }
        return out
    }

    /// Two passes of a box filter along rows, then along columns (a tent filter), in place.
    static func blur(_ buffer: inout [Float], rows: Int, cols: Int) {
        let alongRows = (cols + 127) / 128
        let alongCols = (rows + 127) / 128
        var other = [Float](repeating: 0, count: buffer.count)
        buffer.withUnsafeMutableBufferPointer { first in
            other.withUnsafeMutableBufferPointer { second in
                guard let one = first.baseAddress, let two = second.baseAddress else { return }
                for _ in 0..<2 {
                    for row in 0..<rows { box(one + row * cols, two + row * cols, length: cols, stride: 1, window: alongRows) }
                    for col in 0..<cols { box(two + col, one + col, length: rows, stride: cols, window: alongCols) }
                }
            }
        }
    }

    /// One line of the box filter: each output the mean of the window around it, clipped to the
    /// line, as a running Float32 sum in the reference's exact order.
    private static func box(_ input: UnsafeMutablePointer<Float>, _ output: UnsafeMutablePointer<Float>, length: Int, stride: Int, window: Int) {
        let half = (window + 2) / 2
        var sum: Float = 0
        var count: Float = 0
        var left = 0, right = 0, out = 0
        for _ in 0..<(half - 1) {
            sum += input[right]
            count += 1
            right += stride
        }
        for _ in 0..<max(0, window - half + 1) {
            sum += input[right]
            count += 1
            output[out] = sum / count
            right += stride
            out += stride
        }
        for _ in 0..<max(0, length - window) {
            sum += input[right]
            sum -= input[left]
            output[out] = sum / count
            left += stride
            right += stride
            out += stride
        }
        for _ in 0..<(half - 1) {
            sum -= input[left]
            count -= 1
            output[out] = sum / count
            left += stride
            out += stride
        }
    }

    /// 64×64 samples of the blurred image, row-major.
    static func decimate(_ buffer: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 64 * 64)
        for i in 0..<64 {
            let row = Int((Double(i) + 0.5) * Double(rows) / 64)
            for j in 0..<64 {
                let col = Int((Double(j) + 0.5) * Double(cols) / 64)
                out[i * 64 + j] = buffer[row * cols + col]
            }
        }
        return out
    }

    /// How much detail the image has, 0–100: the sum of gradients between neighbours.
    static func quality(_ a: [Float]) -> Int {
        var sum = 0
        for i in 0..<63 {
            for j in 0..<64 {
                let d: Float = ((a[i * 64 + j] - a[(i + 1) * 64 + j]) * 100) / 255
                sum += Int(abs(d))
            }
        }
        for i in 0..<64 {
            for j in 0..<63 {
                let d: Float = ((a[i * 64 + j] - a[i * 64 + j + 1]) * 100) / 255
                sum += Int(abs(d))
            }
        }
        return min(sum / 90, 100)
    }

    /// Rows 1–16 of the 64-point DCT-II (the DC row is skipped), as the reference builds them.
    static let dctMatrix: [Float] = {
        let scale = Double(Float((2.0 / 64.0).squareRoot()))
        var matrix = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                matrix[i * 64 + j] = Float(scale * cos(Double.pi / 128 * Double(i + 1) * Double(2 * j + 1)))
            }
        }
        return matrix
    }()

    /// The 16×16 low-frequency corner `D·A·Dᵀ`, row-major (row = vertical frequency).
    static func dct(_ a: [Float]) -> [Float] {
        let d = dctMatrix
        var t = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 { sum += d[i * 64 + k] * a[k * 64 + j] }
                t[i * 64 + j] = sum
            }
        }
        var b = [Float](repeating: 0, count: 16 * 16)
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 { sum += t[i * 64 + k] * d[j * 64 + k] }
                b[i * 16 + j] = sum
            }
        }
        return b
    }

    /// Bit `16i + j` set where the coefficient exceeds the lower median: 128 ones.
    static func threshold(_ b: [Float]) -> PDQHash {
        let median = b.sorted()[127]
        var words: [UInt64] = [0, 0, 0, 0]
        for index in 0..<256 where b[index] > median {
            words[index >> 6] |= 1 << UInt64(index & 63)
        }
        return PDQHash(words: (words[0], words[1], words[2], words[3]))
    }

    /// The DCT of the image and of its seven rotations and flips, derived from the DCT's symmetries.
    static func dihedral(_ b: [Float]) -> [[Float]] {
        func variant(_ make: (Int, Int, Float) -> (Int, Int, Float)) -> [Float] {
            var out = [Float](repeating: 0, count: 256)
            for i in 0..<16 {
                for j in 0..<16 {
                    let (row, col, value) = make(i, j, b[i * 16 + j])
                    out[row * 16 + col] = value
                }
            }
            return out
        }
        return [
            b,
            variant { i, j, v in (j, i, j & 1 == 1 ? v : -v) },              // rot90
            variant { i, j, v in (i, j, (i + j) & 1 == 1 ? -v : v) },        // rot180
            variant { i, j, v in (j, i, i & 1 == 1 ? v : -v) },              // rot270
            variant { i, j, v in (i, j, i & 1 == 1 ? v : -v) },              // flipX
            variant { i, j, v in (i, j, j & 1 == 1 ? v : -v) },              // flipY
            variant { i, j, v in (j, i, v) },                                // flip about the main diagonal
            variant { i, j, v in (j, i, (i + j) & 1 == 1 ? -v : v) },        // flip about the other diagonal
        ]
    }
}
