package com.incidenthub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.incidenthub.http.ErrorCode;
import com.incidenthub.testing.Hostile;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.RawHttp;
import com.incidenthub.testing.RawWebSocket;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated requests, byte streams and frames against the real server. The generator is seeded: the
 * seed is printed with any failure, and {@code -Dfuzz.seed=N} replays that run exactly ({@code -Dfuzz.scale=K} sends
 * K times as much). Every answer must be below 500, every 4xx in the error shape with a code of ours, every accepted
 * body stored exactly as sent; at the end the store must hold exactly what the answers said, the server must still
 * deliver live events, and nothing a client did may have been logged at ERROR or with a stack trace.
 */
@DisplayName("Hostile input, generated from a seed")
class HostileInputFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", new SecureRandom().nextLong());
  private static final int SCALE = Integer.getInteger("fuzz.scale", 1);
  private static final Set<String> CODES = Stream.of(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
  private static final Set<String> SOCKET_TYPES = Set.of("subscribed", "pong", "error", "incident.created",
      "incident.updated");
  private static final Path DASHBOARD = Path.of("..", "frontend", "public");
  private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final JsonFactory STRICT_JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static RunningHub hub;
  private static Set<String> dashboardFiles;

  /** Every incident an answer reported, as the last answer about it said it is. */
  private final Map<String, JsonObject> answered = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws IOException {
    hub = RunningHub.start(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "1", "HTTP_IDLE_TIMEOUT_SECONDS", "1",
        "WS_PING_INTERVAL_SECONDS", "1", "STATIC_DIR", DASHBOARD.toString()));
    try (Stream<Path> files = Files.walk(DASHBOARD)) {
      dashboardFiles = files.filter(Files::isRegularFile).map(HostileInputFuzzTest::read).collect(Collectors.toSet());
    }
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  @DisplayName("no 5xx, the error shape on every 4xx, the store exactly as answered, the server alive, a quiet log")
  void hostileInput() throws Exception {
    try (CapturedLog logs = CapturedLog.operatorView()) {
      Hostile hostile = new Hostile(SEED);
      for (int i = 0; i < 1500 * SCALE; i++) {
        create(hostile.incidentBody());
      }
      for (int i = 0; i < 500 * SCALE; i++) {
        changeStatus(hostile);
      }
      for (int i = 0; i < 800 * SCALE; i++) {
        list(hostile.query());
      }
      for (int i = 0; i < 800 * SCALE; i++) {
        request(hostile.method(), hostile.path(List.copyOf(answered.keySet())));
      }
      List<byte[]> streams = new ArrayList<>();
      for (int i = 0; i < 400 * SCALE; i++) {
        streams.add(hostile.requestWithHostileHeader(hostile.incidentBody()).getBytes(StandardCharsets.ISO_8859_1));
        streams.add(hostile.mutateBytes(("POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: 40\r\n\r\n{\"title\":\"raw\",\"severity\":\"high\"      }")
            .getBytes(StandardCharsets.ISO_8859_1)));
      }
      inParallel(streams, this::exchange);
      List<Hostile.SocketClient> clients = new ArrayList<>();
      for (int i = 0; i < 600 * SCALE; i++) {
        clients.add(hostile.frames());
      }
      inParallel(clients, HostileInputFuzzTest::converse);

      assertStoreHoldsWhatWasAnswered();
      assertDelivering();
      assertEquals("", CapturedLog.describe(logs.alarming()), "client mistakes were logged at ERROR or with a trace");
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("fuzz seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + "): " + e.getMessage(), e);
    }
  }

  private void create(byte[] body) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    String request = "POST /incidents " + printable(body);
    assertAnswer(request, response.statusCode(), response.bodyAsString());
    if (response.statusCode() == 201) {
      JsonObject incident = response.bodyAsJsonObject().getJsonObject("data");
      assertEquals(asSent(body), clientFields(incident), request);
      assertObeysContract(incident);
      answered.put(incident.getString("id"), incident);
    } else {
      assertTrue(Set.of(400, 413).contains(response.statusCode()), request + " answered " + response.statusCode());
    }
  }

  /** A status change of a known incident (or an unknown id), with any If-Match; 200 answers update the record. */
  private void changeStatus(Hostile hostile) {
    List<String> ids = List.copyOf(answered.keySet());
    String id = ids.isEmpty() || hostile.chance(0.1) ? "no-such-incident" : hostile.pick(ids);
    JsonObject before = answered.get(id);
    String ifMatch = hostile.pick(List.of("", "\"" + (before == null ? 1 : before.getInteger("version")) + "\"",
        "\"" + (before == null ? 0 : before.getInteger("version") + 1) + "\"", "*", "\"x\"", "W/\"1\""));
    byte[] body = hostile.statusBody();
    var request = hub.request(HttpMethod.PATCH, "/incidents/" + id).putHeader("Content-Type", "application/json");
    if (!ifMatch.isEmpty()) {
      request.putHeader("If-Match", ifMatch);
    }
    HttpResponse<Buffer> response = RunningHub.await(request.sendBuffer(Buffer.buffer(body)));
    String description = "PATCH /incidents/" + id + " If-Match " + ifMatch + " " + printable(body);
    assertAnswer(description, response.statusCode(), response.bodyAsString());
    if (response.statusCode() == 200) {
      JsonObject after = response.bodyAsJsonObject().getJsonObject("data");
      boolean changed = !after.getString("status").equals(before.getString("status"));
      assertEquals(before.getInteger("version") + (changed ? 1 : 0), after.getInteger("version"), description);
      answered.put(id, after);
    }
  }

  /** A listing answers 200 with incidents exactly as last answered, or a 4xx. */
  private void list(String query) {
    RawHttp.Response response = send("GET /incidents?" + query + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertAnswer("GET /incidents?" + query, response.status(), response.body());
    if (response.status() == 200) {
      for (Object incident : response.json().getJsonArray("data")) {
        JsonObject listed = (JsonObject) incident;
        assertEquals(answered.get(listed.getString("id")), listed, "GET /incidents?" + query);
      }
    }
  }

  /** Any method on any path: the API's answers, or a file of the dashboard, never anything else. */
  private void request(String method, String target) {
    RawHttp.Response response;
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      connection.send(method + " " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      response = method.equals("HEAD") ? connection.responseToHead() : connection.response();
    }
    String request = method + " " + target;
    assertAnswer(request, response.status(), response.body());
    if (response.status() == 200 && !method.equals("HEAD")) {
      if ("application/json".equals(response.header("Content-Type"))) {
        JsonObject data = response.json().getValue("data") instanceof JsonObject one ? one : null;
        if (data != null && data.containsKey("version")) {
          assertEquals(answered.get(data.getString("id")), data, request);
        }
      } else {
        assertTrue(dashboardFiles.contains(response.body()), request + " served something not in the dashboard: "
            + response.body().substring(0, Math.min(80, response.body().length())));
      }
    }
  }

  /** Raw bytes on a connection of their own; every answer in the stream is checked, until the server closes. */
  private void exchange(byte[] bytes) {
    String received;
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      try {
        connection.send(bytes);
      } catch (AssertionError refused) {
        // The server may close before it has read everything: what it answered is still checked.
      }
      received = connection.untilClosed(Duration.ofSeconds(10));
    }
    String request = printable(bytes);
    for (RawHttp.Response response : RawHttp.Response.all(received)) {
      assertAnswer(request, response.status(), response.body());
      if (response.status() == 201) {
        JsonObject incident = response.json().getJsonObject("data");
        answered.put(incident.getString("id"), incident);
      }
    }
  }

  /**
   * A hostile client's frames, then a ping command: the server answers in the protocol's own messages and stays
   * open, or ends the socket with a close frame and a code RFC 6455 allows, never by cutting the connection.
   */
  private static void converse(Hostile.SocketClient client) {
    try (RawWebSocket socket = RawWebSocket.open(hub.port, "/ws")) {
      assertEquals("subscribed", new JsonObject(socket.next().text()).getString("type"));
      try {
        client.action().accept(socket);
        socket.sendText("{\"type\":\"ping\"}");
      } catch (AssertionError closing) {
        // The server closed first; its close frame is read below.
      }
      for (int frames = 0; frames < 50; frames++) {
        RawWebSocket.Frame frame = next(socket, client);
        if (frame.opcode() == RawWebSocket.CLOSE) {
          assertEquals(client.expectedClose(), frame.payload().length < 2 ? 1005 : frame.closeCode(),
              client.description() + ": closed with " + frame.text());
          return;
        }
        if (frame.opcode() == RawWebSocket.PING) {
          answerPing(socket, frame);
        } else if (frame.opcode() != RawWebSocket.PONG) {
          assertEquals(RawWebSocket.TEXT, frame.opcode(), client.description() + ": the server sent opcode "
              + frame.opcode());
          JsonObject message = new JsonObject(frame.text());
          assertTrue(SOCKET_TYPES.contains(message.getString("type")), client.description() + ": " + message.encode());
          if ("pong".equals(message.getString("type"))) {
            assertEquals(client.expectedClose(), Hostile.SocketClient.STAYS_OPEN,
                client.description() + ": still open");
            return;
          }
        }
      }
      throw new AssertionError(client.description() + ": neither a pong nor a close after 50 frames");
    }
  }

  private static void answerPing(RawWebSocket socket, RawWebSocket.Frame ping) {
    try {
      socket.send(RawWebSocket.PONG, ping.payload(), true);
    } catch (AssertionError closing) {
      // The server is closing; its close frame comes next.
    }
  }

  private static RawWebSocket.Frame next(RawWebSocket socket, Hostile.SocketClient client) {
    try {
      return socket.next();
    } catch (AssertionError e) {
      throw new AssertionError(client.description() + ": " + e.getMessage(), e);
    }
  }

  private static void assertAnswer(String request, int status, String body) {
    assertTrue(status < 500, () -> request + " answered " + status + ": " + body);
    assertFalse(body.contains("\tat ") || body.contains("Exception"), () -> request + " leaked a trace: " + body);
    if (status >= 400 && !body.isEmpty()) {
      JsonObject answer = new JsonObject(body);
      assertEquals(Set.of("error"), answer.fieldNames(), request);
      JsonObject error = answer.getJsonObject("error");
      assertEquals(Set.of("code", "message", "details"), error.fieldNames(), request);
      assertTrue(CODES.contains(error.getString("code")), request + " answered code " + error.getString("code"));
      assertEquals(ErrorCode.valueOf(error.getString("code")).status(), status, request + " " + body);
      assertFalse(error.getString("message").isBlank(), request);
      for (Object detail : error.getJsonArray("details")) {
        assertEquals(Set.of("field", "message"), ((JsonObject) detail).fieldNames(), request);
      }
    }
  }

  /**
   * What the API promises to store for an accepted body: each field as sent, the title trimmed, the defaults. The
   * body must have been strict JSON in valid UTF-8 to be accepted at all.
   */
  private static JsonObject asSent(byte[] body) {
    JsonObject sent;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
      sent = new JsonObject(JacksonCodec.fromParser(STRICT_JSON.createParser(text), Map.class));
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("accepted a body that is not strict JSON in UTF-8: " + printable(body), e);
    }
    return new JsonObject()
        .put("channel", sent.getString("channel", "general"))
        .put("title", sent.getString("title").replaceAll("^[ \t\r\n]+|[ \t\r\n]+\\z", ""))
        .put("message", sent.getString("message", ""))
        .put("severity", sent.getString("severity"))
        .put("status", sent.getString("status", "open"))
        .put("version", 1);
  }

  /** The fields of an answered incident that come from the client's body, and its version. */
  private static JsonObject clientFields(JsonObject incident) {
    JsonObject fields = new JsonObject();
    Stream.of("channel", "title", "message", "severity", "status", "version")
        .forEach(name -> fields.put(name, incident.getValue(name)));
    return fields;
  }

  /** The contract of an incident, as the README states it, for everything the API accepted. */
  private static void assertObeysContract(JsonObject incident) {
    String text = incident.encode();
    assertTrue(CHANNEL.matcher(incident.getString("channel")).matches(), text);
    String title = incident.getString("title");
    assertTrue(title.codePointCount(0, title.length()) >= 1 && title.codePointCount(0, title.length()) <= 200, text);
    assertTrue(title.codePoints().noneMatch(Character::isISOControl) && !title.startsWith(" ") && !title.endsWith(" "),
        text);
    String message = incident.getString("message");
    assertTrue(message.codePointCount(0, message.length()) <= 2000, text);
    assertTrue(message.codePoints().allMatch(c -> !Character.isISOControl(c) || c == '\t' || c == '\n' || c == '\r'),
        text);
    assertTrue(Set.of("low", "medium", "high").contains(incident.getString("severity")), text);
    assertTrue(Set.of("open", "acknowledged", "resolved").contains(incident.getString("status")), text);
    assertTrue(Stream.of(title, message).allMatch(HostileInputFuzzTest::isUnicode), text);
  }

  private static boolean isUnicode(String text) {
    return StandardCharsets.UTF_8.newEncoder().canEncode(text);
  }

  private void assertStoreHoldsWhatWasAnswered() {
    Map<String, JsonObject> stored = new HashMap<>();
    for (int offset = 0; ; offset += 500) {
      JsonArray page = hub.get("/incidents?limit=500&offset=" + offset).bodyAsJsonObject().getJsonArray("data");
      page.forEach(incident -> stored.put(((JsonObject) incident).getString("id"), (JsonObject) incident));
      if (page.size() < 500) {
        break;
      }
    }
    assertEquals(answered.keySet(), stored.keySet(), "the store holds incidents no answer reported, or lost some");
    assertEquals(answered, stored);
    stored.values().forEach(HostileInputFuzzTest::assertObeysContract);
  }

  private static void assertDelivering() {
    String channel = RunningHub.freshChannel("after-fuzz");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    JsonObject incident = hub.create(channel, "still delivering");

    JsonObject event = socket.next();
    assertEquals("incident.created", event.getString("type"));
    assertEquals(incident, event.getJsonObject("incident"));
    assertEquals(200, hub.get("/health").statusCode());
    socket.close();
  }

  /** Runs {@code action} on every input from 32 threads, for the cases that wait on the server's deadlines. */
  private static <T> void inParallel(List<T> inputs, Consumer<T> action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (T input : inputs) {
        runs.add(pool.submit(() -> action.accept(input)));
      }
      for (Future<?> run : runs) {
        try {
          run.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof AssertionError failure ? failure : new AssertionError(e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static RawHttp.Response send(String request) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      return connection.send(request).response();
    }
  }

  private static String printable(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    return (text.length() > 300 ? text.substring(0, 300) + "..." : text).replace("\r", "\\r").replace("\n", "\\n");
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
