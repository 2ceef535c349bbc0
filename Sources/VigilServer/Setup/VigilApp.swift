import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VigilCore
import VigilStore

/// Everything a running Vigil is made of, wired once. The command line and the tests build the
/// application through here, so the tests drive the real thing.
public struct VigilApp: Sendable {
    public let store: Store
    public let policy: Policy
    public let keyring: ReporterKeyring
    public let accessKeys: AccessKeys
    public let rules: ModerationRules
    public let intake: IntakeWorkflow
    public let moderators: ModeratorAccess
    public let review: ReviewWorkflow
    public let appeals: AppealsWorkflow
    public let maintenance: MaintenanceService
    public let webhookDispatcher: WebhookDispatcher
    public let detection: DetectionWorkflow
    public let classifiers: ExternalClassifiers
    public let banks: HashBanks
    public let console: ConsoleAccounts
    let consoleSettings: ConsoleSettings
    let bankSync: BankSyncService
    public let clock: VigilClock
    public let metrics: VigilMetrics
    let rateLimiter: RateLimiter

    public init(store: Store, policy: Policy, keyring: ReporterKeyring, rules: ModerationRules = .standard, reportsPerMinutePerReporter: Int = 30,
                webhooks: WebhookDispatcher.Settings = .init(), ruleSet: RuleSet = .empty, textClassifier: LinearTextClassifier? = nil,
                detectionSettings: DetectionSettings = .init(), bankRefreshInterval: Duration = .seconds(1), maintenanceInterval: Duration = .seconds(5),
                console: ConsoleSettings = .init(),
                bcryptCost: UInt8 = 12, logger: Logger, clock: VigilClock = .system) {
        self.store = store
        self.clock = clock
        self.consoleSettings = console
        self.metrics = VigilMetrics()
        self.policy = policy
        self.keyring = keyring
        self.rules = rules
        self.accessKeys = AccessKeys(store: store, clock: clock)
        self.moderators = ModeratorAccess(store: store, clock: clock)
        self.console = ConsoleAccounts(store: store, keyring: keyring, moderators: moderators, rules: console.rules, bcryptCost: bcryptCost, clock: clock)
        self.intake = IntakeWorkflow(store: store, policy: policy, rules: rules, logger: logger, clock: clock, metrics: metrics)
        let bankIndex = BankIndex(store: store)
        self.banks = HashBanks(store: store, index: bankIndex, clock: clock)
        self.bankSync = BankSyncService(index: bankIndex, interval: bankRefreshInterval, logger: logger)
        self.review = ReviewWorkflow(store: store, policy: policy, rules: rules, ruleSet: ruleSet, banks: bankIndex, clock: clock)
        self.appeals = AppealsWorkflow(store: store, keyring: keyring, policy: policy, rules: rules, ruleSet: ruleSet, banks: bankIndex, clock: clock)
        self.classifiers = ExternalClassifiers(settings: detectionSettings, clock: clock)
        self.detection = DetectionWorkflow(store: store, policy: policy, ruleSet: ruleSet, textClassifier: textClassifier, clock: clock, metrics: metrics)
        self.maintenance = MaintenanceService(
            store: store, settling: TakedownSettling(store: store, policy: policy, rules: rules),
            review: IndependenceReview(store: store, policy: policy, rules: rules), interval: maintenanceInterval, logger: logger, clock: clock)
        self.rateLimiter = RateLimiter(perMinute: reportsPerMinutePerReporter)
        self.webhookDispatcher = WebhookDispatcher(store: store, keyring: keyring, settings: webhooks, metrics: metrics, logger: logger, clock: clock)
    }

    /// Opens the data directory (creating directory and keys as needed) and its database. The
    /// store runs, and the schema is migrated, in the application's service group
    /// (``application(host:port:timeouts:logger:)``) or in ``withRunning(_:)``.
    public static func open(configuration: ServerConfiguration, logger: Logger) async throws -> VigilApp {
        let policy = try configuration.policyPath.map(PolicyLoader.load) ?? .builtIn
        // The built-in text rules name built-in categories: with the operator's own policy, only the
        // re-upload rules (one per category of theirs) apply until they write a rule file.
        let ruleSet = try configuration.rulesPath.map { try RuleSetLoader.load(path: $0, policy: policy) }
            ?? .defaults(for: policy, textRules: configuration.policyPath == nil)
        let textClassifier = configuration.textClassifier ? try BuiltInClassifiers.text() : nil
        let detectionSettings = try configuration.classifiersPath.map(DetectionSettings.load) ?? DetectionSettings()
        try DataDirectory.secure(configuration.dataDirectory)
        let keyring = try KeyFile.keyring(configuration: configuration)
        let store: Store
        if let url = configuration.databaseURL {
            store = try Store.openPostgres(url: url, settings: .init(
                maximumConnections: configuration.databasePoolSize,
                connectTimeout: .milliseconds(Int64(configuration.databaseConnectTimeoutSeconds * 1000))), logger: logger)
        } else {
            store = try await Store.openSQLite(path: configuration.databasePath, logger: logger)
        }
        return VigilApp(store: store, policy: policy, keyring: keyring, rules: configuration.rules,
                        reportsPerMinutePerReporter: configuration.reportsPerMinutePerReporter, webhooks: configuration.webhooks,
                        ruleSet: ruleSet, textClassifier: textClassifier, detectionSettings: detectionSettings, console: configuration.console,
                        logger: logger)
    }

    /// Runs `body` with the store running and migrated, for commands that use the data directory
    /// without serving it; the store is closed afterwards.
    public func withRunning<T: Sendable>(_ body: (VigilApp) async throws -> T) async throws -> T {
        try await store.withRunning {
            try await store.migrate()
            return try await body(self)
        }
    }

    public func router() throws -> Router<VigilRequestContext> {
        let router = Router(context: VigilRequestContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        let routes = RouteTable()
        router.add(middleware: ProblemMiddleware(routes: routes))
        SystemController(store: store, openAPI: ByteBuffer(bytes: try OpenAPIDocument.json(policy: policy))).addRoutes(to: router)
        MetricsController(metrics: metrics, store: store, clock: clock).addRoutes(to: router, keys: accessKeys)
        // Moderator routes first: the platform group's API-key middleware must not claim /v1/mod.
        let mod = router.group("v1/mod").add(middleware: ModeratorMiddleware(moderators: moderators))
        ModerationController(review: review, policy: policy, credibility: rules.credibility).addRoutes(to: mod)
        AppealsReviewController(appeals: appeals).addRoutes(to: mod)
        TransparencyController(reporting: TransparencyReporting(store: store)).addRoutes(to: mod)
        RulesController(rules: RulesReporting(store: store, ruleSet: detection.ruleSet, policy: policy)).addRoutes(to: mod)
        BanksController(banks: banks).addRoutes(to: mod)
        let pages = try ConsolePages(mediaSources: consoleSettings.mediaSources)
        ConsoleController(
            accounts: console, review: review, policy: policy, credibility: rules.credibility, pages: pages,
            signInLimiter: RateLimiter(perMinute: consoleSettings.signInsPerMinutePerAddress), settings: consoleSettings).addRoutes(to: router)
        ConsoleOversightController(
            accounts: console, appeals: appeals, privacy: PrivacyWorkflow(store: store, keyring: keyring, clock: clock),
            audit: AuditLogBrowsing(store: store), pages: pages,
            dashboard: ConsoleDashboard(store: store, rules: RulesReporting(store: store, ruleSet: detection.ruleSet, policy: policy), clock: clock),
            clock: clock).addRoutes(to: router)
        ConsolePreferencesController(accounts: console, pages: pages).addRoutes(to: router)
        ConsoleAdminController(accounts: console, moderators: moderators, keys: accessKeys, policy: policy, ruleSet: detection.ruleSet, pages: pages)
            .addRoutes(to: router)
        let v1 = router.group("v1").add(middleware: APIKeyMiddleware(keys: accessKeys))
        SubjectsController(subjects: SubjectWorkflow(store: store, detection: detection, clock: clock), policy: policy).addRoutes(to: v1)
        let hashing = MediaHashing(index: banks.index)
        SignalsController(detection: detection, hashing: hashing).addRoutes(to: v1)
        MediaController(media: MediaWorkflow(store: store, detection: detection, classifiers: classifiers, hashing: hashing)).addRoutes(to: v1)
        ReportsController(intake: intake, keyring: keyring, policy: policy, rateLimiter: rateLimiter, metrics: metrics).addRoutes(to: v1)
        ReportersController(inbox: ReporterInbox(store: store, keyring: keyring)).addRoutes(to: v1)
        NoticesController(notices: NoticesWorkflow(store: store, keyring: keyring)).addRoutes(to: v1)
        AppealsController(appeals: appeals).addRoutes(to: v1)
        let dispatcher = webhookDispatcher
        WebhooksController(
            webhooks: WebhooksWorkflow(store: store, keyring: keyring, urlPolicy: dispatcher.settings.urlPolicy, clock: clock, nudge: { dispatcher.nudge() }),
            clock: clock).addRoutes(to: v1)
        routes.load(router.routes.map { ("\($0.path)", $0.method) }, refused: ReportsController.refusedMethods)
        return router
    }

    /// The HTTP application with its background services, in one service group: the store, intake,
    /// maintenance and webhook delivery, then the server. Migrations run before the server listens. On SIGTERM or
    /// SIGINT the group stops them in reverse order: the server stops accepting and finishes its
    /// requests, webhook delivery records its attempts in flight, maintenance stops, intake commits what was queued, and the store closes last.
    public func application(host: String, port: Int, timeouts: ConnectionTimeouts = .standard, logger: Logger) throws -> some ApplicationProtocol {
        var application = Application(
            router: try router(),
            server: .http1(configuration: .init(additionalChannelHandlers: timeouts.handlers(logger: logger))),
            configuration: .init(address: .hostname(host, port: port), serverName: "Vigil"),
            services: [store, intake, detection.committer, maintenance, webhookDispatcher, classifiers, bankSync],
            logger: logger)
        let store = self.store
        application.beforeServerStarts { try await store.migrate() }
        return application
    }
}
