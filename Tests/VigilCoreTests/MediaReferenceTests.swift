import Foundation
import Testing
import VigilCore

@Suite("Media addresses")
struct MediaReferenceTests {
    /// The API document's pattern is what a client validates against: it must accept exactly what Vigil accepts.
    @Test("the documented pattern and the check agree", arguments: [
        ("https://media.example.com/v/1.jpg", true), ("HTTP://a.b:8080/x?y=1#z", true), ("https://a", true), ("https://a.example/%41%7e", true),
        ("https://a.example/a'b(c)*+,;=:@!$&~", true), ("https://a.example?q", true), ("https://a.example#f", true),
        ("javascript:alert(1)", false), ("data:image/png;base64,AA", false), ("ftp://a.example/x", false), ("//a.example/x", false),
        ("https://", false), ("https://u:p@a.example/", false), ("https://u@a.example/", false), ("https://a.example/a b", false),
        ("https://a.example/\"x", false), ("https://a.example/<x>", false), ("https://a.example/%4", false), ("https://a.example/%zz", false),
        ("https://a.example:/x", false), ("https://a.example:123456/x", false), ("https://a.example:80x", false), ("https://[::1]/x", false),
        ("https://a.example/\n", false), ("https://a.example\n", false), ("https://a.example/é", false), ("https://a_b.example/", false),
        ("https://a.example/\\", false), ("", false),
    ])
    func patternAgrees(url: String, accepted: Bool) throws {
        let regex = try NSRegularExpression(pattern: MediaReference.urlPattern)
        let matches = regex.firstMatch(in: url, range: NSRange(url.startIndex..., in: url)) != nil
        #expect((MediaReference.problem(withURL: url) == nil) == accepted, "check: \(url)")
        #expect(matches == accepted, "pattern: \(url)")
    }

    @Test("the length is bounded")
    func length() {
        let base = "https://a.example/"
        #expect(MediaReference.problem(withURL: base + String(repeating: "a", count: MediaReference.maxURLBytes - base.count)) == nil)
        #expect(MediaReference.problem(withURL: base + String(repeating: "a", count: MediaReference.maxURLBytes - base.count + 1)) != nil)
    }
}
