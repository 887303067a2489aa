package com.incidenthub;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the service together: MongoDB client, socket hub, REST routes, and one HTTP server for REST and /ws. */
public final class HubVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HubVerticle.class);
  /**
   * Netty drops a connection whose frame exceeds this without a close frame, so it sits well above the protocol's
   * 64 KiB message limit, which {@link SocketHub} enforces with a BAD_MESSAGE error instead.
   */
  private static final int MAX_FRAME_BYTES = 1024 * 1024;

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
    Future<RequestSchema> newIncident = RequestSchema.load(vertx, RequestSchema.NEW_INCIDENT);
    Future<RequestSchema> statusChange = RequestSchema.load(vertx, RequestSchema.STATUS_CHANGE);
    return Future.all(newIncident, statusChange, repository.ensureIndexes(), hub.start())
        .compose(ready -> createServer(new IncidentRoutes(vertx, repository, new IncidentEvents(vertx.eventBus()), hub,
            newIncident.result(), statusChange.result())).listen(config.httpPort()))
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

  private HttpServer createServer(IncidentRoutes api) {
    HttpServerOptions options = new HttpServerOptions()
        .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
        .setMaxWebSocketMessageSize(MAX_FRAME_BYTES)
        // A peer that stopped answering pings will not answer a close frame either; do not wait long for it.
        .setWebSocketClosingTimeout(WEBSOCKET_CLOSING_TIMEOUT_SECONDS)
        // Browsers always offer permessage-deflate; deflating every small frame once per socket quadrupled the
        // server's CPU per delivery (docs/BENCHMARKS.md) to save a few hundred bytes.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setCompressionSupported(true);
    return vertx.createHttpServer(options).requestHandler(router(api));
  }

  private Router router(IncidentRoutes api) {
    Router router = Router.router(vertx);
    router.route().handler(AccessLog::handle);
    router.get("/ws").handler(this::upgrade);
    router.route("/api/*").subRouter(api.standalone());
    api.addTo(router);
    if (Files.isDirectory(config.staticDir())) {
      LOG.info("Serving the dashboard from {}", config.staticDir().toAbsolutePath());
      router.route().handler(StaticHandler.create(FileSystemAccess.ROOT, config.staticDir().toAbsolutePath().toString())
          .setCachingEnabled(false));
    }
    router.route().handler(IncidentRoutes::notFound);
    router.route().failureHandler(ErrorResponder::respond);
    return router;
  }

  /** Checks the requested channels before upgrading, so a bad name is an HTTP 400 rather than a dead socket. */
  private void upgrade(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw HubException.invalid("Upgrade", "/ws expects a WebSocket upgrade request");
    }
    List<String> channels = requestedChannels(ctx.queryParams().get("channels"));
    ctx.request().toWebSocket()
        .onSuccess(socket -> hub.accept(socket, channels))
        .onFailure(failure -> LOG.debug("WebSocket upgrade failed", failure));
  }

  private static List<String> requestedChannels(String parameter) {
    if (parameter == null) {
      return List.of(SocketSession.EVERY_CHANNEL);
    }
    List<String> channels = SocketHub.channelNames(new JsonArray(Arrays.asList(parameter.split(",", -1))));
    if (channels == null) {
      throw HubException.invalid("channels",
          "channels must be a comma-separated list of \"*\" or channel names (" + Incident.CHANNEL_RULE + ")");
    }
    return channels;
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
