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
        // 80 random bits from two draws (each draw is a system call): 60 from the first, 20 from the second.
        let first: UInt64 = generator.next()
        let second: UInt64 = generator.next()
        for index in 0..<12 { chars.append(alphabet[Int((first >> UInt64(index * 5)) & 31)]) }
        for index in 0..<4 { chars.append(alphabet[Int((second >> UInt64(index * 5)) & 31)]) }
        return prefix + "_" + String(chars)
    }
}
