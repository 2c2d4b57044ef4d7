import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import MoveoAuth
import MoveoPostgres
import MoveoStore
import NIOCore
import NIOHTTP1

/// Builds the router: middleware, the web chat and admin controllers, and 405 answers for every other method.
public func buildRouter(service: EmulatorService, adminToken: String) -> Router<BasicRequestContext> {
    buildRoutes(service: service, adminToken: adminToken).router
}

/// The router and the table of every routed path and method (the OpenAPI agreement test reads the table).
func buildRoutes(service: EmulatorService, adminToken: String) -> (router: Router<BasicRequestContext>, table: RouteTable<BasicRequestContext>) {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestLogMiddleware(logger: service.logger))
    router.add(middleware: CORSMiddleware())
    let table = RouteTable<BasicRequestContext>()
    router.add(middleware: ProblemMiddleware(logger: service.logger, table: table))
    if service.database.isShared { router.add(middleware: SharedClockMiddleware(service: service)) }
    WebchatController(service: service).addRoutes(to: router, table: table)
    PagesController(service: service).addRoutes(to: router, table: table)
    let admin = router.group("/v1/admin").add(middleware: AdminAuthMiddleware(token: adminToken))
    AdminIntegrationsController(service: service).addRoutes(to: admin, table: table)
    AdminRecordsController(service: service).addRoutes(to: admin, table: table)
    AdminWebhooksController(service: service).addRoutes(to: admin, table: table)
    AdminClockController(service: service).addRoutes(to: admin, table: table)
    table.addMethodNotAllowed(to: router)
    return (router, table)
}

/// Builds the whole emulator in one place: store, start-up work (seed, demo, admin token), router, server.
///
/// `announce` receives the lines CONTRACT §1 prints (`admin token: …` once, `listening on http://HOST:PORT`).
public func buildApplication(
    _ configuration: EmulatorConfiguration, database: (any EmulatorStore)? = nil, logger: Logger = Logger(label: "moveo-emulator"),
    announce: @escaping @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
) async throws -> some ApplicationProtocol {
    let database = if let database { database } else { try await openStore(configuration) }
    let service = EmulatorService(database: database, configuration: configuration, logger: logger)
    if let seed = configuration.seedFile { try await service.applySeed(path: seed, print: announce) }
    // A shared store's clock: --now sets it for every instance; without it this instance follows the stored one.
    if database.isShared {
        if configuration.fixedNow != nil { try await service.shareClock() } else { service.clock.apply(setting: try await database.clockSetting()) }
    }
    try await service.createDemoIfEmpty()
    let adminToken = try await service.resolveAdminToken(print: announce)
    var serverLogger = Logger(label: "hummingbird")
    serverLogger.logLevel = .warning
    let host = configuration.host
    // NIO's default header limit (80 KiB) would cut a token in the Authorization header well short of the
    // 262,144-character token limit with a bare 400; room for the whole limit lets the verifier answer instead.
    let headerRoom = CompactJWS.maxLength + 1024
    let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: headerRoom, maxHeaderListSize: headerRoom + 80 * 1024)
    var limits = NIOHTTPDecoderLimitConfiguration()
    limits.maxHeaderFieldSize = decoder.maxHeaderFieldSize
    limits.maxHeaderListSize = decoder.maxHeaderListSize
    limits.maxHeaderFieldCount = decoder.maxHeaderFieldCount
    let decoderLimits = limits
    // Hummingbird's idle timer runs from the last decoded request part: a connection sending nothing, or headers one byte
    // at a time (no part is decoded until the head is complete), is closed after --idle-timeout; one being answered is not.
    let idle = TimeAmount.milliseconds(Int64(configuration.idleTimeout * 1000))
    let server = HTTPServerBuilder { responder in
        UpgradeDecliningHTTP1Channel(
            base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle, httpDecoderConfiguration: decoder)), limits: decoderLimits)
    }
    return Application(
        router: buildRouter(service: service, adminToken: adminToken),
        server: server,
        configuration: .init(address: .hostname(host, port: configuration.port), serverName: nil),
        services: configuration.retain.map { [RetentionSweeper(service: service, retain: $0)] } ?? [],
        onServerRunning: { channel in
            announce("listening on http://\(host):\(channel.localAddress?.port ?? configuration.port)")
        },
        logger: serverLogger
    )
}

/// Runs the emulator until SIGINT or SIGTERM: stops accepting, finishes requests in flight, closes the store.
public func runEmulator(_ configuration: EmulatorConfiguration, logger: Logger = Logger(label: "moveo-emulator")) async throws {
    let database = try await openStore(configuration, logger: logger)
    let application = try await buildApplication(configuration, database: database, logger: logger)
    try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    try await database.close()
    logger.info("stopped; database closed")
}

/// Opens the store `--db` names: a `postgres://` URL (several instances may share it, CONTRACT §12) or a SQLite path.
public func openStore(_ configuration: EmulatorConfiguration, logger: Logger = Logger(label: "moveo-emulator")) async throws -> any EmulatorStore {
    let location = configuration.databasePath
    guard PostgresURL.isPostgres(location) else { return try AppDatabase.open(path: location) }
    guard let url = PostgresURL(location) else {
        throw StoreOpenError.unavailable(location: "the --db URL", cause: "it is not postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
    }
    var quiet = logger
    quiet.logLevel = .warning
    return try await PostgresStore.open(url: url, connections: configuration.databaseConnections,
                                        leaseTimeout: .milliseconds(Int64(configuration.databaseLeaseTimeout * 1000)), logger: quiet)
}

/// `--db` as messages may show it: a PostgreSQL URL without its password, a path as it is.
public func displayedLocation(_ databasePath: String) -> String {
    PostgresURL(databasePath)?.description ?? databasePath
}
