import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// The console's HTML: Mustache templates shipped as resources, rendered with HTML escaping (every
/// `{{value}}` is escaped; the templates use no triple braces), and the security headers every
/// console response carries.
struct ConsolePages: Sendable {
    private let library: MustacheLibrary
    let stylesheet: ByteBuffer
    let script: ByteBuffer
    /// The pages' policy: the strict one, with the platform's media hosts allowed for images and video.
    private let pagePolicy: String

    init(mediaSources: [String] = ConsoleSettings().mediaSources) throws {
        guard let directory = Bundle.module.url(forResource: "console", withExtension: nil) else {
            throw ConsoleResourceMissing(name: "console")
        }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            try library.register(text, named: String(file.dropLast(".mustache".count)))
        }
        self.library = library
        stylesheet = ByteBuffer(bytes: try Data(contentsOf: directory.appendingPathComponent("console.css")))
        script = ByteBuffer(bytes: try Data(contentsOf: directory.appendingPathComponent("console.js")))
        let media = mediaSources.joined(separator: " ")
        pagePolicy = Self.policy(images: "'self' data: \(media)", media: media)
    }

    /// A page: `values` are the template's, plus the layout's (title, the signed-in moderator, the CSRF token).
    func render(_ template: String, title: String, signedIn: ConsoleSignedIn?, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        var context = values
        context["page_title"] = title
        if let signedIn {
            let role = signedIn.moderator.role
            // The desks this role may open, for the navigation (each page checks again).
            context["me"] = ["name": signedIn.moderator.name, "role": role.rawValue,
                             "queue": [.triage, .moderator, .admin].contains(role), "appeals": [.appeals, .admin].contains(role),
                             "unseal": role == .privacyOfficer, "audit": [.admin, .privacyOfficer].contains(role), "admin": role == .admin, "dashboard": role != .privacyOfficer] as [String: Any]
            context["csrf"] = signedIn.csrfToken
        }
        let html = library.render(context, withTemplate: template) ?? "<!doctype html><title>Vigil</title><p>This page could not be drawn.</p>"
        var headers = Self.headers(contentType: "text/html; charset=utf-8")
        headers[.contentSecurityPolicy] = pagePolicy
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A redirect after a form (303: the browser follows with GET).
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = Self.headers(contentType: "text/plain; charset=utf-8")
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }

    /// No inline script or style, no plugin, no frame, forms only to the console; images and video
    /// from the sources given. No referrer goes with media requests (`Referrer-Policy: same-origin`).
    static func policy(images: String, media: String) -> String {
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src \(images); media-src \(media); connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// What every console response carries: no inline script or style may run, the page may not be
    /// framed, nothing is cached, and no address goes to another site as referrer.
    static func headers(contentType: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentSecurityPolicy] = policy(images: "'self' data:", media: "'none'")
        fields[.xFrameOptions] = "DENY"
        fields[.xContentTypeOptions] = "nosniff"
        // Same-origin: other sites never see a console address (an enrolment link is one), and the
        // browser keeps sending this site's Origin on its forms (with no-referrer it sends "null").
        fields[.referrerPolicy] = "same-origin"
        fields[.cacheControl] = "no-store"
        return fields
    }
}

struct ConsoleResourceMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "the console's resource '\(name)' is missing from the build" }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

/// JSON (an API view, encoded as the API answers) as the plain values Mustache reads: the console
/// shows exactly what the API shows, through the same anonymity-checked views.
enum TemplateValues {
    static func from<T: Encodable>(_ value: T) throws -> Any {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // JSONSerialization rather than a Decodable tree: a third of a queue page's time went to the
        // decoder's misses when it was one.
        return plain(try JSONSerialization.jsonObject(with: try encoder.encode(value)))
    }

    /// Foundation's numbers as Swift's Bool, Int or Double (Mustache tests `Bool` for sections), nulls as nil.
    private static func plain(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]: return object.mapValues(plain)
        case let array as [Any]: return array.map(plain)
        case is NSNull: return Optional<String>.none as Any
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return number.boolValue
            case "d", "f": return number.doubleValue
            default: return number.intValue
            }
        default: return value
        }
    }
}
