/// Per-case reporter pseudonyms: "Reporter A", "Reporter B", … "Reporter Z", "Reporter AA", …
/// The letter follows the order in which reporters reported the case's subject, so it says nothing
/// about who they are and differs from case to case.
public enum Pseudonym {
    public static func reporter(_ index: Int) -> String {
        var n = index
        var letters = ""
        repeat {
            letters = String(UnicodeScalar(UInt8(65 + n % 26))) + letters
            n = n / 26 - 1
        } while n >= 0
        return "Reporter \(letters)"
    }
}
