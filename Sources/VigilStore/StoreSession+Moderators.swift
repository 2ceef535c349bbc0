import SQLKit
import VigilCore

extension StoreSession {
    public func insertModerator(_ moderator: ModeratorRecord, at time: Timestamp) async throws {
        try await sql.insert(into: "moderators").columns("id", "name", "role", "token_hash", "created_at")
            .values(moderator.id, moderator.name, moderator.role.rawValue, moderator.tokenHash, time.milliseconds).run()
    }

    public func moderator(id: String) async throws -> ModeratorRecord? {
        try await moderators(where: "id", equals: id).first
    }

    public func moderator(named name: String) async throws -> ModeratorRecord? {
        try await moderators(where: "name", equals: name).first
    }

    /// Every moderator, by name.
    public func moderatorList() async throws -> [ModeratorRecord] {
        try await moderators(where: nil, equals: "").sorted { $0.name < $1.name }
    }

    /// Disables a moderator who is not disabled yet; false if there is none by that name or they were disabled before.
    public func disableModerator(id: String, at time: Timestamp) async throws -> Bool {
        guard try await moderator(id: id).map({ !$0.disabled }) == true else { return false }
        try await sql.update("moderators").set("disabled_at", to: time.milliseconds).where("id", .equal, id).run()
        return true
    }

    public func setModeratorRole(id: String, role: ModeratorRole) async throws {
        try await sql.update("moderators").set("role", to: role.rawValue).where("id", .equal, id).run()
    }

    /// Names of moderators by id, for views that say who holds or decided something.
    public func moderatorNames(ids: some Collection<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("id", "name").from("moderators").where("id", .in, Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) })
    }

    private func moderators(where column: String?, equals value: String) async throws -> [ModeratorRecord] {
        var select = sql.select().columns("id", "name", "role", "token_hash", "disabled_at").from("moderators")
        if let column { select = select.where(SQLIdentifier(column), .equal, SQLBind(value)) }
        let rows = try await select.all()
        return try rows.map { row in
            let role = try row.decode(column: "role", as: String.self)
            guard let parsed = ModeratorRole(rawValue: role) else { throw StoreCorruption(detail: "moderator role '\(role)'") }
            return ModeratorRecord(
                id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                role: parsed, tokenHash: try row.decode(column: "token_hash", as: String.self),
                disabled: try row.decode(column: "disabled_at", as: Int64?.self) != nil)
        }
    }
}
