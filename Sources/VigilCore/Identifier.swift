/// Opaque, time-ordered ids (a ULID-like layout: 48 bits of milliseconds, then 80 random bits, in
/// Crockford base 32) with a type prefix, so ids sort by creation and work as pagination cursors.
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    public static func make(prefix: String, at time: Timestamp = .now()) -> String {
        var generator = SystemRandomNumberGenerator()
        var chars: [Character] = []
        chars.reserveCapacity(26)
        let ms = UInt64(max(0, time.milliseconds))
        for shift in stride(from: 45, through: 0, by: -5) {
            chars.append(alphabet[Int((ms >> UInt64(shift)) & 31)])
        }
        for _ in 0..<16 { chars.append(alphabet[Int(generator.next() & 31)]) }
        return prefix + "_" + String(chars)
    }
}
