package com.incidenthub.testing;

import com.incidenthub.Config;
import com.incidenthub.Node;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.store.EmbeddedMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The real service (a whole node: every verticle instance, clustered when the settings say so) on a free port, against
 * the embedded MongoDB-wire server, or against a real MongoDB when the environment variable MONGO_URI is set (each run
 * then uses a database of its own). Tests reach it only over HTTP and WebSocket, from a Vert.x of their own.
 */
public final class RunningHub implements AutoCloseable {
  private static final AtomicInteger CHANNELS = new AtomicInteger();

  /** The clients' Vert.x, apart from the node's. */
  public final Vertx vertx = Vertx.vertx();
  public final WebClient http;
  /** The store this node started, or null when it uses another node's store or MONGO_URI. */
  private final EmbeddedMongo embedded;
  private final Node node;
  public final int port;
  private final Config config;
  private boolean stopped;

  private RunningHub(Map<String, String> settings, RunningHub sameStore) {
    Map<String, String> env = new HashMap<>(settings);
    String mongoUri = System.getenv("MONGO_URI");
    if (sameStore != null) {
      embedded = null;
      env.put("MONGO_URI", sameStore.config.mongoUri().orElseThrow());
      env.put("MONGO_DB", sameStore.config.mongoDb());
    } else {
      embedded = mongoUri == null || mongoUri.isBlank() ? EmbeddedMongo.start() : null;
      env.put("MONGO_URI", embedded != null ? embedded.connectionString() : mongoUri);
      env.put("MONGO_DB", "test_" + UUID.randomUUID().toString().replace("-", ""));
    }
    env.put("HTTP_PORT", "0");
    env.putIfAbsent("STATIC_DIR", "target/no-static-files");
    // Limits no test of other behaviour comes near; the tests of the limits set their own.
    env.putIfAbsent("WRITES_PER_SECOND", "1000000");
    env.putIfAbsent("WRITE_BURST", "1000000");
    env.putIfAbsent("MAX_MESSAGES_PER_SECOND", "100000");
    config = Config.fromEnv(env);
    node = await(Node.start(config));
    port = node.port();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  public static RunningHub start() {
    return new RunningHub(Map.of(), null);
  }

  public static RunningHub start(Map<String, String> settings) {
    return new RunningHub(settings, null);
  }

  /** Two nodes clustered on 127.0.0.1 (each with {@code settings}), on the first one's store. */
  public static List<RunningHub> twoClustered(Map<String, String> settings) {
    int portA = FreePort.take();
    int portB = FreePort.take();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    RunningHub a = start(clustered(settings, members, portA));
    return List.of(a, a.another(clustered(settings, members, portB)));
  }

  private static Map<String, String> clustered(Map<String, String> settings, String members, int port) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("CLUSTER_MEMBERS", members);
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", Integer.toString(port));
    return env;
  }

  /** Another node on this node's store and database, as a second backend behind a load balancer would be. */
  public RunningHub another(Map<String, String> settings) {
    return new RunningHub(settings, this);
  }

  public Config config() {
    return config;
  }

  /** Stops the node the way SIGTERM does, leaving the clients' Vert.x (and the store) running. */
  public void stopNode() {
    stopped = true;
    try {
      node.stop(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the node did not stop: " + e, e);
    }
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

  /** The seq of every stored incident, read behind the service's back. */
  public List<Long> storedSeqs() {
    return withStore(mongo -> mongo.find(IncidentRepository.COLLECTION, new JsonObject()))
        .stream().map(document -> document.getLong("seq")).sorted().toList();
  }

  /** Takes a number of the change sequence and stores nothing, as a writer that died mid-write would. */
  public long takeSeqAndDie() {
    JsonObject before = withStore(mongo -> mongo.findOneAndUpdate(IncidentRepository.COUNTERS,
        new JsonObject().put("_id", IncidentRepository.CHANGE_COUNTER),
        new JsonObject().put("$inc", new JsonObject().put("seq", 1L))));
    return before.getLong("seq") + 1;
  }

  private <T> T withStore(Function<MongoClient, Future<T>> operation) {
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
        .put("connection_string", config.mongoUri().orElseThrow()).put("db_name", config.mongoDb()));
    try {
      return await(operation.apply(mongo));
    } finally {
      await(mongo.close());
    }
  }

  /** The node's own event bus, for tests that make it lose or delay the hubs' events ({@link LostEvents}). */
  public EventBus nodeBus() {
    return node.vertx().eventBus();
  }

  /** The service's route table, as its HTTP server dispatches. */
  public List<Route> routes() {
    return node.routes();
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

  /** Polls /health until its body satisfies {@code condition}, for state that settles asynchronously. */
  public JsonObject awaitHealth(Predicate<JsonObject> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    JsonObject health = get("/health").bodyAsJsonObject();
    while (!condition.test(health)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("/health did not reach the expected state within 15 s: " + health);
      }
      await(vertx.timer(50));
      health = get("/health").bodyAsJsonObject();
    }
    return health;
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
      return future.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("gave up waiting: " + e, e);
    }
  }

  @Override
  public void close() {
    if (!stopped) {
      stopNode();
    }
    await(vertx.close());
    if (embedded != null) {
      embedded.stop();
    }
  }
}
