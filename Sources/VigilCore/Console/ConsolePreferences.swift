/// A moderator's own console settings, kept across sessions.
public struct ConsolePreferences: Sendable, Equatable {
    /// How strongly media is blurred before the moderator reveals it. Reviewer wellness, as Ozone
    /// and Coop do it: media is always greyscale until revealed; the blur is each moderator's choice.
    public enum MediaBlur: Int, Sendable, CaseIterable {
        case none = 0, light = 1, medium = 2, strong = 3

        public var label: String {
            switch self {
            case .none: "No blur (greyscale only)"
            case .light: "Light"
            case .medium: "Medium"
            case .strong: "Strong"
            }
        }
    }

    public var mediaBlur: MediaBlur

    public init(mediaBlur: MediaBlur = .medium) {
        self.mediaBlur = mediaBlur
    }

    public static let standard = ConsolePreferences()
}
