import Crypto
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import NIOPosix
import VigilCore
import VigilStore

/// A signed-in console request: who, and the token its forms must carry.
public struct ConsoleSignedIn: Sendable {
    public var moderator: AuthenticatedModerator
    /// The session's CSRF token, derived from its cookie secret.
    public var csrfToken: String
    /// The stored hash of the session's cookie secret.
    var sessionHash: String
}

/// Console sign-in: one-time enrolment links, passwords (bcrypt) with a TOTP second factor,
/// lockout after repeated failures, and server-side sessions in the store, so any node serves them.
/// Every enrolment, sign-in, failure and sign-out is an audit event.
public final class ConsoleAccounts: Sendable {
    private let store: Store
    private let keyring: ReporterKeyring
    private let moderators: ModeratorAccess
    private let clock: VigilClock
    let rules: ConsoleRules
    /// bcrypt's cost: 12 in service (about a quarter second a hash here); tests lower it.
    private let bcryptCost: UInt8
    /// A hash checked when the name is unknown, so the answer takes as long as for a known one.
    private let decoyHash: String

    public static let cookieName = "vigil_console"
    static let passwordMinCharacters = 12
    /// bcrypt reads at most 72 bytes; a longer password would be checked on its start only.
    static let passwordMaxBytes = 72

    public init(store: Store, keyring: ReporterKeyring, moderators: ModeratorAccess, rules: ConsoleRules = .standard,
                bcryptCost: UInt8 = 12, clock: VigilClock = .system) {
        self.store = store
        self.keyring = keyring
        self.moderators = moderators
        self.rules = rules
        self.bcryptCost = bcryptCost
        self.clock = clock
        decoyHash = Bcrypt.hash(Hex.encode(SecretToken.randomBytes(16)), cost: bcryptCost)
    }

    // MARK: Enrolment

    /// Issues a one-time enrolment link secret for a moderator, withdrawing earlier unused ones and
    /// ending their sessions (a reset). Returns the secret, shown once; only its hash is stored.
    public func issueEnrolment(name: String) async throws -> (moderatorID: String, token: String, expiresAt: Timestamp) {
        let token = Hex.encode(SecretToken.randomBytes(32))
        let now = clock.now()
        let expires = now.adding(seconds: rules.enrolmentHours * 3_600)
        let id = try await store.write { tx in
            guard let record = try await tx.moderator(named: name), !record.disabled else {
                throw VigilError.notFound(resource: "enabled moderator", id: name)
            }
            try await tx.withdrawEnrolments(moderatorID: record.id, at: now)
            try await tx.endConsoleSessions(moderatorID: record.id, at: now)
            try await tx.insertEnrolment(tokenHash: Self.hash(token), moderatorID: record.id, at: now, expiresAt: expires)
            try await tx.appendEvents([AuditEventDraft(
                type: .consoleEnrolmentIssued, subjectID: nil,
                payload: ConsoleEnrolmentIssued(moderatorId: record.id, expiresAt: expires.milliseconds), occurredAt: now)])
            return record.id
        }
        return (id, token, expires)
    }

    /// What the enrolment form shows for a link still good: the moderator, whether a second factor
    /// is required, and the TOTP secret this link enrols (derived from the link, so nothing is kept
    /// between showing the form and submitting it).
    public func enrolment(token: String) async throws -> (moderator: AuthenticatedModerator, secondFactorRequired: Bool, totpSecret: String, totpURL: String) {
        guard Self.isToken(token), let id = try await store.read({ try await $0.pendingEnrolment(tokenHash: Self.hash(token), at: self.clock.now()) }),
              let moderator = try await moderators.enabled(id: id)
        else { throw VigilError.notFound(resource: "enrolment link", id: "(this link)") }
        let secret = Self.totpSecret(forEnrolment: token)
        return (moderator, rules.secondFactorRequired.contains(moderator.role), secret,
                TOTP(secret: secret).createAuthenticatorURL(label: "Vigil:\(moderator.name)", issuer: "Vigil"))
    }

    /// Sets the password (and second factor, confirmed by a current code) through a link, once.
    public func enrol(token: String, password: String, confirmation: String, totpCode: String?) async throws {
        let form = try await enrolment(token: token)
        guard password == confirmation else { throw VigilError.invalidField(field: "confirmation", detail: "does not match the password") }
        try Self.validate(password: password)
        let code = totpCode.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if form.secondFactorRequired, code == nil {
            throw VigilError.invalidField(field: "code", detail: "a second factor is required for the role \(form.moderator.role.rawValue): enter the code your authenticator app shows")
        }
        let now = clock.now()
        var step: Int64?
        if let code {
            guard let matched = Self.totpStep(matching: code, secret: form.totpSecret, at: now, after: nil) else {
                throw VigilError.invalidField(field: "code", detail: "is not the current code for this secret")
            }
            step = matched
        }
        let hash = try await Self.offPool { Bcrypt.hash(password, cost: self.bcryptCost) }
        let seal = try code.map { _ in try keyring.seal(form.totpSecret) }
        let credential = ConsoleCredential(moderatorID: form.moderator.id, passwordHash: hash, totpSeal: seal, enrolledAt: now, lastTOTPStep: step)
        try await store.write { tx in
            guard try await tx.useEnrolment(tokenHash: Self.hash(token), at: now) == form.moderator.id else {
                throw VigilError.notFound(resource: "enrolment link", id: "(this link)")
            }
            try await tx.saveCredential(credential)
            try await tx.appendEvents([AuditEventDraft(
                type: .consoleEnrolled, subjectID: nil, payload: ConsoleEnrolled(moderatorId: form.moderator.id, secondFactor: seal != nil), occurredAt: now)])
        }
    }

    // MARK: Sign-in

    /// Signs in by name, password and (when one was set) TOTP code. Returns the session cookie's
    /// secret. Failures say the same whatever was wrong; five in a row lock the account a while.
    public func signIn(name: String, password: String, code: String?) async throws -> (cookie: String, moderator: AuthenticatedModerator) {
        let refused = VigilError.unauthenticated(detail: "the name, password or code is not right")
        let now = clock.now()
        guard password.utf8.count <= Self.passwordMaxBytes, name.count <= 128,
              let record = try await store.read({ try await $0.moderator(named: name) }), !record.disabled,
              let credential = try await store.read({ try await $0.credential(moderatorID: record.id) })
        else {
            // The same work as for a real account, so timing does not tell names apart.
            _ = try? await Self.offPool { Bcrypt.verify(password, hash: self.decoyHash) }
            throw refused
        }
        if credential.isLocked(at: now) {
            try await recordFailure(credential, reason: "locked", at: now, lock: false)
            throw VigilError.rateLimited(retryAfterSeconds: max(1, Int(min(now.seconds(until: credential.lockedUntil ?? now), 86_400).rounded(.up))))
        }
        let passwordOK = try await Self.offPool { Bcrypt.verify(password, hash: credential.passwordHash) }
        guard passwordOK else {
            try await recordFailure(credential, reason: "password", at: now, lock: true)
            throw refused
        }
        var step = credential.lastTOTPStep
        if let seal = credential.totpSeal {
            let secret = try keyring.unseal(seal)
            guard let code, let matched = Self.totpStep(matching: code, secret: secret, at: now, after: credential.lastTOTPStep) else {
                try await recordFailure(credential, reason: "code", at: now, lock: true)
                throw refused
            }
            step = matched
        }
        let secret = Hex.encode(SecretToken.randomBytes(32))
        let session = ConsoleSessionRecord(idHash: Self.hash(secret), moderatorID: record.id, createdAt: now, lastSeenAt: now)
        try await store.write { [step] tx in
            try await tx.updateSignInState(moderatorID: record.id, failures: 0, lockedUntil: nil, lastTOTPStep: step)
            try await tx.insertConsoleSession(session)
            try await tx.appendEvents([AuditEventDraft(type: .consoleSignedIn, subjectID: nil, payload: ConsoleSignIn(moderatorId: record.id), occurredAt: now)])
        }
        return (secret, AuthenticatedModerator(id: record.id, name: record.name, role: record.role))
    }

    private func recordFailure(_ credential: ConsoleCredential, reason: String, at now: Timestamp, lock: Bool) async throws {
        let rules = self.rules
        try await store.write { tx in
            // Re-read: concurrent failures must all count.
            let current = try await tx.credential(moderatorID: credential.moderatorID) ?? credential
            let failures = current.failures + (lock ? 1 : 0)
            let lockedUntil = lock && failures >= rules.lockAfterFailures && !current.isLocked(at: now)
                ? now.adding(seconds: rules.lockSeconds) : current.lockedUntil
            // A lock's count starts again once it is served.
            try await tx.updateSignInState(
                moderatorID: current.moderatorID, failures: lockedUntil != current.lockedUntil ? 0 : failures, lockedUntil: lockedUntil,
                lastTOTPStep: current.lastTOTPStep)
            try await tx.appendEvents([AuditEventDraft(
                type: .consoleSignInFailed, subjectID: nil,
                payload: ConsoleSignIn(moderatorId: current.moderatorID, reason: reason, failures: failures,
                                       lockedUntil: lockedUntil != current.lockedUntil ? lockedUntil?.milliseconds : nil),
                occurredAt: now)])
        }
    }

    // MARK: Sessions

    /// The signed-in moderator of a session cookie, if the session holds (not signed out, idle or
    /// past its lifetime, and the moderator still enabled). An ended session is recorded as such once.
    /// `activity` is false for a page's own background refresh: it must not keep an abandoned
    /// session alive past its idle timeout.
    public func session(cookie: String, activity: Bool = true) async throws -> ConsoleSignedIn? {
        guard Self.isToken(cookie) else { return nil }
        let hash = Self.hash(cookie)
        let now = clock.now()
        guard let record = try await store.read({ try await $0.consoleSession(idHash: hash) }) else { return nil }
        if let ending = record.end(at: now, rules: rules) {
            if ending != .signedOut { try await end(hash, moderatorID: record.moderatorID, reason: ending.rawValue, at: now) }
            return nil
        }
        guard let moderator = try await moderators.enabled(id: record.moderatorID) else { return nil }
        // Written at most once a minute (or a tenth of the idle timeout): a page view is not worth a write each.
        if activity, record.lastSeenAt.seconds(until: now) >= min(60, rules.idleTimeoutSeconds / 10) {
            try await store.writeBesideChain { try await $0.touchConsoleSession(idHash: hash, at: now) }
        }
        return ConsoleSignedIn(moderator: moderator, csrfToken: Self.csrfToken(forSession: cookie), sessionHash: hash)
    }

    // MARK: Preferences

    /// The moderator's own console settings.
    public func preferences(of signedIn: ConsoleSignedIn) async throws -> ConsolePreferences {
        try await store.read { try await $0.consolePreferences(moderatorID: signedIn.moderator.id) }
    }

    /// Replaces the moderator's own console settings. Not an audit event: they change what one
    /// moderator sees, not what anyone may do.
    public func setPreferences(_ preferences: ConsolePreferences, of signedIn: ConsoleSignedIn) async throws {
        let now = clock.now()
        try await store.writeBesideChain { try await $0.saveConsolePreferences(preferences, moderatorID: signedIn.moderator.id, at: now) }
    }

    public func signOut(_ signedIn: ConsoleSignedIn) async throws {
        try await end(signedIn.sessionHash, moderatorID: signedIn.moderator.id, reason: ConsoleSessionEnd.signedOut.rawValue, at: clock.now())
    }

    private func end(_ hash: String, moderatorID: String, reason: String, at now: Timestamp) async throws {
        try await store.write { tx in
            guard try await tx.endConsoleSession(idHash: hash, at: now) else { return }
            try await tx.appendEvents([AuditEventDraft(
                type: .consoleSignedOut, subjectID: nil, payload: ConsoleSignIn(moderatorId: moderatorID, reason: reason), occurredAt: now)])
        }
    }

    // MARK: Secrets

    /// The CSRF token of a session: a one-way function of its cookie secret, so it needs no storage
    /// and reveals nothing of the cookie.
    static func csrfToken(forSession cookie: String) -> String {
        Hex.encode(SHA256.hash(data: Data("vigil-console-csrf:\(cookie)".utf8)))
    }

    static func hash(_ secret: String) -> String { Hex.encode(SHA256.hash(data: Data(secret.utf8))) }

    static func isToken(_ text: String) -> Bool { text.utf8.count == 64 && text.allSatisfy(\.isHexDigit) }

    /// The TOTP secret an enrolment link sets: 32 characters of base32 derived from the link.
    static func totpSecret(forEnrolment token: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let digest = Array(SHA256.hash(data: Data("vigil-console-totp:\(token)".utf8)))
        return String(digest.prefix(32).map { alphabet[Int($0 & 31)] })
    }

    /// The time step a code matches (the current one or either neighbour, for clock drift), if it
    /// is later than `after`: a code is accepted once.
    static func totpStep(matching code: String, secret: String, at now: Timestamp, after last: Int64?) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
        let current = now.milliseconds / 30_000
        let totp = TOTP(secret: secret)
        for step in [current - 1, current, current + 1] where step > (last ?? Int64.min) {
            if totp.compute(date: Date(timeIntervalSince1970: Double(step) * 30)) == value { return step }
        }
        return nil
    }

    static func validate(password: String) throws(VigilError) {
        guard password.count >= passwordMinCharacters else {
            throw .invalidField(field: "password", detail: "must be at least \(passwordMinCharacters) characters")
        }
        guard password.utf8.count <= passwordMaxBytes else {
            throw .invalidField(field: "password", detail: "must be at most \(passwordMaxBytes) bytes (bcrypt reads no more)")
        }
    }

    /// bcrypt is a quarter second of CPU: kept off Swift's cooperative pool, which serves every request.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}
