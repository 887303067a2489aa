package com.incidenthub.dashboard;

import com.incidenthub.Config;
import com.incidenthub.store.EmbeddedMongo;
import com.incidenthub.HubVerticle;
import com.incidenthub.ops.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The real backend in this JVM: embedded store, HubVerticle on a free port, serving the dashboard's files. */
final class RunningBackend implements AutoCloseable {
  private static final Path DASHBOARD = Path.of(System.getProperty("dashboard.dir", "public")).toAbsolutePath();

  private final Vertx vertx;
  private final EmbeddedMongo mongo;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Config config;
  private String deployment;
  private int port;

  private RunningBackend(Vertx vertx, EmbeddedMongo mongo, Config config) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.config = config;
  }

  static RunningBackend start(Vertx vertx) {
    EmbeddedMongo mongo = EmbeddedMongo.start();
    Config config = Config.fromEnv(Map.of(
        "HTTP_PORT", "0",
        "MONGO_URI", mongo.connectionString(),
        "STATIC_DIR", DASHBOARD.toString()));
    RunningBackend backend = new RunningBackend(vertx, mongo, config);
    backend.deploy();
    return backend;
  }

  private void deploy() {
    // The browser tests read no metrics; the given Vert.x was built without them.
    HubVerticle hub = new HubVerticle(config, Metrics.create(false));
    deployment = vertx.deployVerticle(hub).await();
    port = hub.actualPort();
    // A restart must come back on the same port, or the page's socket URL would point nowhere.
    config = config.withHttpPort(port);
  }

  /** Undeploys the verticle: the HTTP server stops and every socket closes, as when the service goes down. */
  void stop() {
    if (deployment != null) {
      vertx.undeploy(deployment).await();
      deployment = null;
    }
  }

  /** Deploys a new verticle on the port the old one had; the store and its data stay. */
  void restart() {
    if (deployment == null) {
      deploy();
    }
  }

  /** Takes the database away while the HTTP server stays up: requests that need it get 503. */
  void stopDatabase() {
    mongo.stop();
  }

  boolean running() {
    return deployment != null;
  }

  String dashboardUrl() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** Creates an incident over REST and returns it as the API answered. */
  JsonObject create(String channel, String title, String severity) {
    return create(new JsonObject().put("channel", channel).put("title", title).put("severity", severity));
  }

  JsonObject create(JsonObject body) {
    Response response = send("POST", "/api/incidents", body, Map.of());
    if (response.status() != 201) {
      throw new AssertionError("POST /api/incidents answered " + response.status() + ": " + response.body());
    }
    return response.body().getJsonObject("data");
  }

  /** Sends a POST that the server is expected to reject, to learn its exact answer. */
  Response post(JsonObject body) {
    return send("POST", "/api/incidents", body, Map.of());
  }

  JsonObject changeStatus(String id, String status, int version) {
    Response response = send("PATCH", "/api/incidents/" + id, new JsonObject().put("status", status),
        Map.of("If-Match", "\"" + version + "\""));
    if (response.status() != 200) {
      throw new AssertionError("PATCH answered " + response.status() + ": " + response.body());
    }
    return response.body().getJsonObject("data");
  }

  Response patch(String id, String status, int version) {
    return send("PATCH", "/api/incidents/" + id, new JsonObject().put("status", status),
        Map.of("If-Match", "\"" + version + "\""));
  }

  JsonObject get(String id) {
    Response response = send("GET", "/api/incidents/" + id, null, Map.of());
    if (response.status() != 200) {
      throw new AssertionError("GET answered " + response.status() + ": " + response.body());
    }
    return response.body().getJsonObject("data");
  }

  private Response send(String method, String path, JsonObject body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), new JsonObject(response.body()));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      mongo.stop();
    }
  }

  /** Status and JSON body of an API answer. */
  record Response(int status, JsonObject body) {}
}
