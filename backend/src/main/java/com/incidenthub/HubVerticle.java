package com.incidenthub;

import com.incidenthub.auth.Caller;
import com.incidenthub.auth.OriginCheck;
import com.incidenthub.auth.RoleCheck;
import com.incidenthub.auth.TokenAuthentication;
import com.incidenthub.auth.TokenBucket;
import com.incidenthub.http.AccessLog;
import com.incidenthub.http.ConnectionDeadlines;
import com.incidenthub.http.ErrorResponder;
import com.incidenthub.http.HttpLimits;
import com.incidenthub.http.RequestChecks;
import com.incidenthub.http.RequestId;
import com.incidenthub.http.Responses;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.incident.IncidentRoutes;
import com.incidenthub.ops.ApiDocument;
import com.incidenthub.ops.HealthCheck;
import com.incidenthub.ops.Metrics;
import com.incidenthub.realtime.IncidentEvents;
import com.incidenthub.realtime.SocketEndpoint;
import com.incidenthub.realtime.SocketHub;
import com.incidenthub.realtime.SocketLimits;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One instance of the service on one event loop: its MongoDB client (sharing the node's pool), its socket hub, the REST
 * routes, and one HTTP server for REST and /ws (every instance of the node listens on the same port).
 */
final class HubVerticle extends VerticleBase {
  /** The MongoDB connection pool every instance of a node shares. */
  static final String MONGO_POOL = "incident-hub";
  /** How long a stopping instance lets in-flight requests finish before it closes what is left. */
  static final int SHUTDOWN_SECONDS = 10;
  private static final int WEBSOCKET_CLOSING_TIMEOUT_SECONDS = 5;

  /** The prefix the API is also served under, the dashboard's origin path (nginx strips it; the backend need not). */
  private static final String API_MOUNT = "/api";
  private static final String SOCKET_PATH = "/ws";

  private final Config config;
  private final NodeContext node;
  private MongoClient mongo;
  private SocketHub hub;
  private HttpServer server;
  private Router router;

  HubVerticle(Config config, NodeContext node) {
    this.config = config;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.createShared(vertx, mongoSettings(config), MONGO_POOL);
    IncidentEvents events = new IncidentEvents(vertx.eventBus(), node.epoch());
    IncidentRepository repository = new IncidentRepository(mongo, events::skipped, node.metrics().store());
    hub = new SocketHub(vertx, config.wsPingInterval(), socketLimits(), repository, node.epoch(),
        config.resumeMaxEvents(), node.sockets(), node.metrics().hub(), config.positionCheck(),
        node.deliveryNotices());
    HealthCheck health = new HealthCheck(repository::ping, node.sockets()::get, !config.authTokens().isEmpty(),
        node.clusterMembers());
    SocketEndpoint sockets = new SocketEndpoint(hub, node.clientLimits().sockets());
    Future<IncidentRoutes> incidents = IncidentRoutes.create(vertx, repository, events, ctx -> Caller.of(ctx).actor());
    Future<ApiDocument> document = ApiDocument.load(vertx);
    // A negative port is Vert.x's shared random port: the node's instances then all listen on the one picked first.
    int port = config.httpPort() == 0 ? -1 : config.httpPort();
    return Future.all(incidents, document, hub.start())
        .map(ready -> router(incidents.result(), health, document.result(), sockets))
        .compose(routes -> createServer(routes).listen(port))
        .onSuccess(listening -> {
          server = listening;
          node.port().set(listening.actualPort());
        });
  }

  /** Stops accepting, lets in-flight requests finish, and tells every socket to go elsewhere (1001). */
  @Override
  public Future<?> stop() {
    return server.shutdown(SHUTDOWN_SECONDS, TimeUnit.SECONDS)
        .eventually(() -> hub.stop())
        .eventually(() -> mongo.close());
  }

  /** The port actually bound, which differs from the configured one when that is 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The route table, for the test that holds it to the OpenAPI document. */
  List<Route> routes() {
    return router.getRoutes();
  }

  private HttpServer createServer(Router router) {
    HttpServerOptions options = new HttpServerOptions()
        .setMaxInitialLineLength(HttpLimits.MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(HttpLimits.MAX_HEADER_BYTES)
        // HTTP/1.1 only: nginx and every client here speak it, and an h2c upgrade is one more parser to attack.
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(SocketEndpoint.MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(SocketEndpoint.MAX_FRAME_BYTES)
        // A peer that stopped answering pings will not answer a close frame either; do not wait long for it.
        .setWebSocketClosingTimeout(WEBSOCKET_CLOSING_TIMEOUT_SECONDS)
        // Browsers always offer permessage-deflate; deflating every small frame once per socket quadrupled the
        // server's CPU per delivery (docs/BENCHMARKS.md) to save a few hundred bytes.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(true)
        // Every request is handled and answered on its instance's event loop (the Mongo client and the event bus
        // call back on it), so a connection needs no queue for writes from other threads: 4 KiB less per socket.
        .setStrictThreadMode(true);
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> ConnectionDeadlines.install(connection, config.httpIdleTimeout(),
            config.httpRequestTimeout()))
        .invalidRequestHandler(ErrorResponder::respondToUnparseable)
        .requestHandler(router);
  }

  /**
   * The route table. The open routes come first; then every other request, unknown paths included, passes the
   * access checks in this order: who is calling (401), from which page (403 FORBIDDEN_ORIGIN), whether their role
   * may (403 FORBIDDEN), how often they write (429); only then the routes validate and look things up. The API
   * answers at the root and under /api; the dashboard's files come last. Every path routed here is in the OpenAPI
   * document (resources/openapi.json): ApiAgreementTest fails otherwise.
   */
  private Router router(IncidentRoutes incidents, HealthCheck health, ApiDocument document, SocketEndpoint sockets) {
    TokenAuthentication authentication = new TokenAuthentication(config.authTokens(), config.trustedProxies(),
        SOCKET_PATH);
    Optional<Handler<RoutingContext>> dashboard = dashboardFiles();
    router = Router.router(vertx);
    router.route().handler(RequestId::assign).handler(AccessLog::handle).handler(RequestChecks::handle);
    atRootAndUnderApi(api -> document.addTo(health.addTo(api)));
    dashboard.ifPresent(files -> router.route().method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(authentication.beforeSignIn(files)));

    router.route().handler(authentication);
    router.route().handler(new OriginCheck(config.allowedOrigins(), config.trustedProxies()));
    router.route().handler(new RoleCheck(API_MOUNT, Set.of("/incidents"), Set.of(Metrics.PATH)));
    router.route().handler(node.clientLimits().writes());

    router.get(SOCKET_PATH).handler(sockets::upgrade);
    router.route(SOCKET_PATH).handler(Responses.methodNotAllowed("GET"));
    // At the root only: nginx forwards /api/* and /ws, so the dashboard's origin never exposes the metrics.
    node.metrics().addTo(router);
    atRootAndUnderApi(api -> incidents.addTo(Caller.addTo(api)));
    dashboard.ifPresent(files -> router.route().handler(files));
    router.route().handler(Responses::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  /** Adds the same routes at the root and, in a sub-router, under /api; what matches neither falls through. */
  private void atRootAndUnderApi(UnaryOperator<Router> routes) {
    router.route(API_MOUNT + "/*").subRouter(routes.apply(Router.router(vertx)));
    routes.apply(router);
  }

  private Optional<Handler<RoutingContext>> dashboardFiles() {
    return dashboardDirectory(config).map(directory -> StaticHandler.create(FileSystemAccess.ROOT, directory.toString())
        .setCachingEnabled(false));
  }

  /** The dashboard's files, when {@code STATIC_DIR} holds them (the Docker image leaves them to nginx). */
  static Optional<Path> dashboardDirectory(Config config) {
    return Optional.of(config.staticDir()).filter(Files::isDirectory).map(Path::toAbsolutePath);
  }

  /** Each socket may send {@code MAX_MESSAGES_PER_SECOND} messages a second, in bursts of twice that. */
  private SocketLimits socketLimits() {
    int perSecond = config.maxMessagesPerSecond();
    return new SocketLimits(config.maxChannelsPerSocket(), () -> {
      TokenBucket bucket = new TokenBucket(perSecond, 2 * perSecond, System::nanoTime);
      return () -> bucket.take() == 0;
    });
  }

  static JsonObject mongoSettings(Config config) {
    return new JsonObject()
        .put("connection_string", config.mongoUri().orElseThrow())
        .put("db_name", config.mongoDb())
        // Fail a request within seconds when MongoDB is gone, instead of the driver's 30 s default.
        .put("serverSelectionTimeoutMS", 3000)
        .put("connectTimeoutMS", 2000)
        .put("socketTimeoutMS", 10000);
  }
}
