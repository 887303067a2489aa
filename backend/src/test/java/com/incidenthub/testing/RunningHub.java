package com.incidenthub.testing;

import com.incidenthub.Config;
import com.incidenthub.HubVerticle;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.store.EmbeddedMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real service on a free port, against the embedded MongoDB-wire server, or against a real MongoDB when the
 * environment variable MONGO_URI is set (each run then uses a database of its own). Tests reach it only over HTTP and
 * WebSocket.
 */
public final class RunningHub implements AutoCloseable {
  private static final AtomicInteger CHANNELS = new AtomicInteger();

  public final Vertx vertx = Vertx.vertx();
  public final WebClient http;
  private final EmbeddedMongo embedded;
  private final String deploymentId;
  private final HubVerticle verticle;
  public final int port;
  private final Config config;

  private RunningHub(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    String mongoUri = System.getenv("MONGO_URI");
    embedded = mongoUri == null || mongoUri.isBlank() ? EmbeddedMongo.start() : null;
    env.put("MONGO_URI", embedded != null ? embedded.connectionString() : mongoUri);
    env.put("MONGO_DB", "test_" + UUID.randomUUID().toString().replace("-", ""));
    env.put("HTTP_PORT", "0");
    env.putIfAbsent("STATIC_DIR", "target/no-static-files");
    // Limits no test of other behaviour comes near; the tests of the limits set their own.
    env.putIfAbsent("WRITES_PER_SECOND", "1000000");
    env.putIfAbsent("WRITE_BURST", "1000000");
    env.putIfAbsent("MAX_MESSAGES_PER_SECOND", "100000");
    config = Config.fromEnv(env);
    verticle = new HubVerticle(config);
    deploymentId = await(vertx.deployVerticle(verticle));
    port = verticle.actualPort();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  public static RunningHub start() {
    return new RunningHub(Map.of());
  }

  public static RunningHub start(Map<String, String> settings) {
    return new RunningHub(settings);
  }

  /** Writes a document behind the service's back, for tests of what it does with data it did not write. */
  public void insertDirectly(JsonObject document) {
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", config.mongoUri().orElseThrow()).put("db_name", config.mongoDb()));
    try {
      await(mongo.insert(IncidentRepository.COLLECTION, document));
    } finally {
      await(mongo.close());
    }
  }

  /** The service's route table, as its HTTP server dispatches. */
  public List<Route> routes() {
    return verticle.routes();
  }

  public boolean usesEmbeddedStore() {
    return embedded != null;
  }

  /** Cuts the service off from its database, as if MongoDB had crashed. */
  public void stopStore() {
    embedded.stop();
  }

  public void restartStore() {
    embedded.restart();
  }

  /** A channel name no other test uses, so that tests sharing a database cannot see each other's incidents. */
  public static String freshChannel(String prefix) {
    return prefix + "-" + CHANNELS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public HttpRequest<Buffer> request(HttpMethod method, String uri) {
    return http.request(method, uri);
  }

  public HttpResponse<Buffer> post(String uri, JsonObject body) {
    return await(http.post(uri).sendJsonObject(body));
  }

  public HttpResponse<Buffer> get(String uri) {
    return await(http.get(uri).send());
  }

  public HttpResponse<Buffer> patch(String uri, JsonObject body) {
    return await(http.patch(uri).sendJsonObject(body));
  }

  /** Creates an incident over REST and returns it as the API rendered it. */
  public JsonObject create(String channel, String title) {
    HttpResponse<Buffer> response = post("/incidents",
        new JsonObject().put("title", title).put("severity", "medium").put("channel", channel));
    if (response.statusCode() != 201) {
      throw new AssertionError("create failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject().getJsonObject("data");
  }

  /** A request that carries {@code Authorization: Bearer <token>}. */
  public HttpRequest<Buffer> request(HttpMethod method, String uri, String token) {
    return http.request(method, uri).bearerTokenAuthentication(token);
  }

  /** Sets an incident's status over REST and returns it as the API rendered it. */
  public JsonObject setStatus(JsonObject incident, String status) {
    HttpResponse<Buffer> response = patch("/incidents/" + incident.getString("id"),
        new JsonObject().put("status", status));
    if (response.statusCode() != 200) {
      throw new AssertionError("status change failed: " + response.statusCode() + " " + response.bodyAsString());
    }
    return data(response);
  }

  /** The {@code data} of a successful answer. */
  public static JsonObject data(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("data");
  }

  public TestSocket connect(String uri) {
    return connect(uri, new WebSocketClientOptions());
  }

  public TestSocket connect(String uri, WebSocketClientOptions options) {
    return connect(new WebSocketConnectOptions().setURI(uri), options);
  }

  /** Connects with options of its own, such as extra headers on the upgrade request; fails if it is refused. */
  public TestSocket connect(WebSocketConnectOptions connect) {
    return connect(connect, new WebSocketClientOptions());
  }

  private TestSocket connect(WebSocketConnectOptions connect, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options.setDefaultHost("127.0.0.1").setDefaultPort(port));
    TestSocket socket = new TestSocket(client);
    await(socket.raw().connect(connect));
    return socket;
  }

  /**
   * The HTTP answer to a WebSocket upgrade that is expected to be refused: its status and error body. Fails the test
   * when the upgrade succeeds.
   */
  public HttpResponse<Buffer> refusedUpgrade(String uri, Map<String, String> headers) {
    HttpRequest<Buffer> request = http.get(uri)
        .putHeader("Connection", "Upgrade").putHeader("Upgrade", "websocket")
        .putHeader("Sec-WebSocket-Version", "13").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    headers.forEach(request::putHeader);
    HttpResponse<Buffer> response = await(request.send());
    if (response.statusCode() == 101) {
      throw new AssertionError("the upgrade of " + uri + " was accepted");
    }
    return response;
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("gave up waiting: " + e, e);
    }
  }

  @Override
  public void close() {
    await(vertx.undeploy(deploymentId));
    await(vertx.close());
    if (embedded != null) {
      embedded.stop();
    }
  }
}
