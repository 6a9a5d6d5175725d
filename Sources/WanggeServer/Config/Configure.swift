import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor
import WanggeStore

extension HTTPResponseStatus: HTTPStatusLike {}

/// Builds the whole app on `app`: the one place where configuration turns into databases, middleware and routes.
/// `wangge` and the tests both call it, so tests run exactly the app that ships.
public func configure(_ app: Application, config: AppConfig, clock: any WallClock = SystemClock()) throws {
    app.wangge = try WanggeServices(config: config, clock: clock)
    app.logger.logLevel = config.logLevel
    if config.network.secureCookies && config.network.clientAddressHeader == nil {
        app.logger.warning("PUBLIC_URL is https but CLIENT_ADDRESS_HEADER is not set: behind a proxy every client would share the proxy's address (one rate-limit bucket, one sign-in throttle). Set CLIENT_ADDRESS_HEADER=X-Forwarded-For and TRUSTED_PROXIES to the proxy's address.")
    }
    _ = MetricsBackend.registry

    // The data directory and the database are the server user's alone (0700, 0600).
    try PrivateFiles.secure(config, logger: app.logger)
    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .sqliteInMemory:
        app.databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url, _, _):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = nil
        app.databases.use(.postgres(configuration: pg, sqlLogLevel: .trace), as: .psql)
    }
    app.migrations.add(WanggeMigrations.all)
    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)

    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.http.server.configuration.responseCompression = .enabled
    app.routes.defaultMaxBodySize = ByteCount(value: config.limits.jsonBytes)
    // Compressed request bodies are not unpacked: a few kilobytes of gzip can unpack to gigabytes.
    app.http.server.configuration.requestDecompression = .disabled
    // Connections: an idle deadline here, a head deadline and caps per address and in all in the gate (issue 17).
    app.http.server.configuration.idleTimeout = .seconds(Int64(config.connections.idleSeconds))
    let gate = app.wangge.gate
    app.servers.use { app in GatedServer(inner: app.http.server.shared, gate: gate) }

    app.middleware = Middlewares()
    app.middleware.use(SecurityHeaders())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    app.middleware.use(ErrorRendering())
    app.middleware.use(ClientAddress.Check())
    app.middleware.use(RequestShape(config: config))
    if let resources = Bundle.module.resourcePath {
        app.middleware.use(PublicFiles(directory: resources + "/Public/"))
    }
    app.middleware.use(LangCookie())
    app.middleware.use(StaffAuthentication())
    app.lifecycle.use(LiveRelay.Listener())
    routes(app)
}
