package com.incidenthub.dashboard;

import com.incidenthub.Config;
import com.incidenthub.Node;
import com.incidenthub.store.EmbeddedMongo;
import com.incidenthub.incident.IncidentRepository;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real backend in this JVM: embedded store, a whole node on a free port, serving the dashboard's files. */
final class RunningBackend implements AutoCloseable {
  private static final Path DASHBOARD = Path.of(System.getProperty("dashboard.dir", "public")).toAbsolutePath();

  private EmbeddedMongo mongo;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, String> settings;
  private String token = "";
  private Node node;
  private int port;

  private RunningBackend(EmbeddedMongo mongo, Map<String, String> settings) {
    this.mongo = mongo;
    this.settings = new HashMap<>(settings);
    this.settings.put("MONGO_URI", mongo.connectionString());
    this.settings.put("STATIC_DIR", DASHBOARD.toString());
    this.settings.putIfAbsent("HTTP_PORT", "0");
  }

  static RunningBackend start() {
    return start(Map.of());
  }

  /** With {@code settings} on top of the defaults, for example AUTH_TOKENS. */
  static RunningBackend start(Map<String, String> settings) {
    RunningBackend backend = new RunningBackend(EmbeddedMongo.start(), settings);
    backend.deploy();
    return backend;
  }

  /** The token this backend's own REST calls (create, changeStatus, get, ...) send from now on. */
  RunningBackend actingAs(String token) {
    this.token = token;
    return this;
  }

  private void deploy() {
    node = Node.start(Config.fromEnv(settings)).await();
    port = node.port();
    // A restart must come back on the same port, or the page's socket URL would point nowhere.
    settings.put("HTTP_PORT", Integer.toString(port));
  }

  /** Stops the node as SIGTERM does: the HTTP server stops and every socket closes, as when the service goes down. */
  void stop() {
    if (node != null) {
      try {
        node.stop(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the backend did not stop: " + e, e);
      }
      node = null;
    }
  }

  /** Starts a new node on the port the old one had; the store and its data stay. */
  void restart() {
    if (node == null) {
      deploy();
    }
  }

  /** Starts a new node on the same port against a new, empty store, as if the database had been replaced. */
  void restartOnNewStore() {
    stop();
    mongo.stop();
    mongo = EmbeddedMongo.start();
    settings.put("MONGO_URI", mongo.connectionString());
    deploy();
  }

  /** Stops and starts again with {@code changed} settings, on the same port and store. */
  void restartWith(Map<String, String> changed) {
    stop();
    settings.putAll(changed);
    deploy();
  }

  /** Takes the database away while the HTTP server stays up: requests that need it get 503. */
  void stopDatabase() {
    mongo.stop();
  }

  boolean running() {
    return node != null;
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

  /** Writes a document behind the service's back, to have incidents created at chosen moments. */
  void insertDirectly(JsonObject document) {
    Vertx vertx = Vertx.vertx();
    MongoClient client = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", mongo.connectionString()).put("db_name", Config.fromEnv(settings).mongoDb()));
    try {
      client.insert(IncidentRepository.COLLECTION, document).await();
    } finally {
      client.close().await();
      vertx.close().await();
    }
  }

  /** Creates an incident, or repeats the unresolved one with the same channel and key; answers the API's data. */
  JsonObject createWithKey(String channel, String title, String severity, String dedupKey) {
    Response response = send("POST", "/api/incidents", new JsonObject().put("channel", channel).put("title", title)
        .put("severity", severity).put("dedupKey", dedupKey), Map.of());
    if (response.status() != 201 && response.status() != 200) {
      throw new AssertionError("POST /api/incidents answered " + response.status() + ": " + response.body());
    }
    return response.body().getJsonObject("data");
  }

  void addNote(String id, String text) {
    Response response = send("POST", "/api/incidents/" + id + "/notes", new JsonObject().put("text", text), Map.of());
    if (response.status() != 201) {
      throw new AssertionError("POST notes answered " + response.status() + ": " + response.body());
    }
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
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
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
