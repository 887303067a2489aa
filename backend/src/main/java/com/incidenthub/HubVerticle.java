package com.incidenthub;

import com.incidenthub.http.AccessLog;
import com.incidenthub.http.ConnectionDeadlines;
import com.incidenthub.http.ErrorResponder;
import com.incidenthub.http.HttpLimits;
import com.incidenthub.http.RequestChecks;
import com.incidenthub.http.Responses;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.incident.IncidentRoutes;
import com.incidenthub.ops.HealthCheck;
import com.incidenthub.realtime.IncidentEvents;
import com.incidenthub.realtime.SocketEndpoint;
import com.incidenthub.realtime.SocketHub;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the service together: MongoDB client, socket hub, REST routes, and one HTTP server for REST and /ws. */
public final class HubVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HubVerticle.class);
  private static final int WEBSOCKET_CLOSING_TIMEOUT_SECONDS = 5;

  private final Config config;
  private MongoClient mongo;
  private SocketHub hub;
  private HttpServer server;

  public HubVerticle(Config config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    mongo = MongoClient.create(vertx, mongoSettings());
    IncidentRepository repository = new IncidentRepository(mongo);
    hub = new SocketHub(vertx, config.wsPingInterval());
    HealthCheck health = new HealthCheck(repository::ping, hub::connections);
    SocketEndpoint sockets = new SocketEndpoint(hub);
    Future<IncidentRoutes> incidents = IncidentRoutes.create(vertx, repository, new IncidentEvents(vertx.eventBus()));
    return Future.all(incidents, repository.ensureIndexes(), hub.start())
        .compose(ready -> createServer(router(incidents.result(), health, sockets)).listen(config.httpPort()))
        .onSuccess(listening -> {
          server = listening;
          LOG.info("HTTP server listening on port {}", listening.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return Future.join(hub.stop(), mongo.close());
  }

  /** The port actually bound, which differs from the configured one when that is 0. */
  public int actualPort() {
    return server.actualPort();
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
        .setCompressionSupported(true);
    return vertx.createHttpServer(options)
        .connectionHandler(connection -> ConnectionDeadlines.install(connection, config.httpIdleTimeout(),
            config.httpRequestTimeout()))
        .invalidRequestHandler(ErrorResponder::respondToUnparseable)
        .requestHandler(router);
  }

  /** The API answers at the root and under /api (the dashboard's origin path), then come the dashboard's files. */
  private Router router(IncidentRoutes incidents, HealthCheck health, SocketEndpoint sockets) {
    Router router = Router.router(vertx);
    router.route().handler(AccessLog::handle);
    router.route().handler(RequestChecks::handle);
    router.get("/ws").handler(sockets::upgrade);
    router.route("/ws").handler(Responses.methodNotAllowed("GET"));
    Router api = api(incidents, health, Router.router(vertx));
    api.route().handler(Responses::notFound);
    api.route().failureHandler(ErrorResponder::respond);
    router.route("/api/*").subRouter(api);
    api(incidents, health, router);
    if (Files.isDirectory(config.staticDir())) {
      LOG.info("Serving the dashboard from {}", config.staticDir().toAbsolutePath());
      router.route().handler(StaticHandler.create(FileSystemAccess.ROOT, config.staticDir().toAbsolutePath().toString())
          .setCachingEnabled(false));
    }
    router.route().handler(Responses::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  private static Router api(IncidentRoutes incidents, HealthCheck health, Router router) {
    return health.addTo(incidents.addTo(router));
  }

  private JsonObject mongoSettings() {
    return new JsonObject()
        .put("connection_string", config.mongoUri().orElseThrow())
        .put("db_name", config.mongoDb())
        // Fail a request within seconds when MongoDB is gone, instead of the driver's 30 s default.
        .put("serverSelectionTimeoutMS", 3000)
        .put("connectTimeoutMS", 2000)
        .put("socketTimeoutMS", 10000);
  }
}
