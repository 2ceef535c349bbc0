import Hummingbird
import VigilCore

/// Hash banks, for admins: `GET /v1/mod/banks` (each bank with what it holds, and this node's
/// index), `GET /v1/mod/hashes/lookup?pdq=HASH` (what a hash matches, as HMA's lookup),
/// `POST /v1/mod/banks` (a new bank) and `PATCH /v1/mod/banks/{name}` (the kill switch, the
/// roll-out ratio, the description). Imports and exports are `vigil banks` commands.
struct BanksController {
    let banks: HashBanks

    func addRoutes(to group: RouterGroup<VigilRequestContext>) {
        group.get("banks", use: list)
        group.get("hashes/lookup", use: lookup)
        group.post("banks", use: create)
        group.patch("banks/{name}", use: update)
    }

    @Sendable func list(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.admin)
        let size = banks.index.size
        return try JSONBody.response(BankListView(banks: try await banks.list().map(BankView.init),
                                                  index: .init(hashes: size.hashes, memoryBytes: size.bytes)))
    }

    @Sendable func lookup(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try context.requireModerator(.admin)
        let query = FormQuery(request)
        guard let text = try query.get("pdq") else { throw VigilError.invalidField(field: "pdq", detail: "is required (a PDQ hash, 64 lowercase hex digits)") }
        guard let hash = PDQHash(hex: text) else { throw VigilError.invalidField(field: "pdq", detail: "must be a PDQ hash: 64 lowercase hex digits") }
        let distance = try ModerationController.integer(try query.get("distance"), field: "distance", default: PDQ.matchDistance)
        guard (0...64).contains(distance) else { throw VigilError.invalidField(field: "distance", detail: "must be from 0 to 64") }
        let banks = Dictionary(uniqueKeysWithValues: self.banks.index.banks.map { ($0.name, $0) })
        return try JSONBody.response(BankLookupView(matches: self.banks.index.lookup(hash, within: distance).map { match in
            BankLookupView.Match(bank: match.bank, bankEnabled: banks[match.bank]?.enabled ?? false, bankEnabledRatio: banks[match.bank]?.enabledRatio ?? 0,
                                 contentId: match.contentID, contentType: match.contentType.rawValue, category: match.category, distance: match.distance)
        }))
    }

    @Sendable func create(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.admin)
        let (body, _) = try await JSONBody.decode(BankCreateBody.self, from: request, context: context)
        let bank = try await banks.create(name: body.name, description: body.description, enabledRatio: body.enabledRatio ?? 1, by: moderator.id)
        return try JSONBody.response(BankView(BankSummary(bank: bank, tally: .init(contents: 0, hashes: 0, removed: 0))), status: .created)
    }

    @Sendable func update(_ request: Request, context: VigilRequestContext) async throws -> Response {
        let moderator = try context.requireModerator(.admin)
        let name = try context.pathID("name")
        let (body, _) = try await JSONBody.decode(BankUpdateBody.self, from: request, context: context)
        // Settings left out stay as they are; nothing to change writes nothing.
        if body.enabled != nil || body.enabledRatio != nil || body.description != nil {
            _ = try await banks.update(name: name, enabled: body.enabled, enabledRatio: body.enabledRatio, description: body.description, by: moderator.id)
        }
        guard let summary = try await banks.list().first(where: { $0.bank.name == name }) else { throw VigilError.notFound(resource: "bank", id: name) }
        return try JSONBody.response(BankView(summary))
    }
}

struct BankCreateBody: RequestBody {
    static let fields: Set<String> = ["name", "description", "enabled_ratio"]
    static let fractionalFields: Set<String> = ["enabled_ratio"]
    var name: String
    var description: String?
    var enabledRatio: Double?

    enum CodingKeys: String, CodingKey {
        case name, description
        case enabledRatio = "enabled_ratio"
    }
}

struct BankUpdateBody: RequestBody {
    static let fields: Set<String> = ["enabled", "enabled_ratio", "description"]
    static let fractionalFields: Set<String> = ["enabled_ratio"]
    var enabled: Bool?
    var enabledRatio: Double?
    var description: String?

    enum CodingKeys: String, CodingKey {
        case enabled, description
        case enabledRatio = "enabled_ratio"
    }
}

/// A bank as the banks endpoints show it.
struct BankView: Encodable {
    var name: String
    var description: String?
    var enabled: Bool
    var enabledRatio: Double
    var contents: Int
    var hashes: Int
    var removedContents: Int
    var createdAt: String
    var updatedAt: String

    init(_ summary: BankSummary) {
        name = summary.bank.name
        description = summary.bank.description
        enabled = summary.bank.enabled
        enabledRatio = summary.bank.enabledRatio
        contents = summary.tally.contents
        hashes = summary.tally.hashes
        removedContents = summary.tally.removed
        createdAt = summary.bank.createdAt.iso8601
        updatedAt = summary.bank.updatedAt.iso8601
    }
}

struct BankListView: Encodable {
    struct Index: Encodable {
        var hashes: Int
        var memoryBytes: Int
    }

    var banks: [BankView]
    /// This node's in-memory index.
    var index: Index
}

/// What a hash matches in this node's banks.
struct BankLookupView: Encodable {
    struct Match: Encodable {
        var bank: String
        var bankEnabled: Bool
        var bankEnabledRatio: Double
        var contentId: String
        var contentType: String
        var category: String?
        var distance: Int
    }

    var matches: [Match]
}
