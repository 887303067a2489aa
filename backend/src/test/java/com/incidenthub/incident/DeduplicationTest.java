package com.incidenthub.incident;

import static com.incidenthub.testing.RunningHub.data;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("De-duplication: POST /incidents with a dedupKey")
class DeduplicationTest extends SharedHubTest {
  private static final String KEY_RULE = "dedupKey must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

  @Test
  @DisplayName("the first create with a key answers 201 with the key and one occurrence, and no lastOccurredAt")
  void firstCreate() {
    HttpResponse<Buffer> response = hub.post("/incidents", body(RunningHub.freshChannel("dedup"), "sensor-7", "low"));

    JsonObject created = response.bodyAsJsonObject().getJsonObject("data");
    assertAll(
        () -> assertEquals(201, response.statusCode()),
        () -> assertEquals("sensor-7", created.getString("dedupKey")),
        () -> assertEquals(1, created.getInteger("occurrences")),
        () -> assertFalse(created.containsKey("lastOccurredAt")));
  }

  @Test
  @DisplayName("a repeat answers 200 with the same incident: one more occurrence, one more version, lastOccurredAt "
      + "now, the higher severity, the newer message, and its status unchanged")
  void repeatCountsAnOccurrence() {
    String channel = RunningHub.freshChannel("repeat");
    JsonObject first = data(hub.post("/incidents", body(channel, "door-4", "medium").put("message", "Door open")));

    HttpResponse<Buffer> response = hub.post("/incidents",
        body(channel, "door-4", "high").put("message", "Door still open").put("status", "resolved"));

    JsonObject repeated = data(response);
    assertAll(
        () -> assertEquals(200, response.statusCode()),
        () -> assertEquals("\"2\"", response.getHeader("ETag")),
        () -> assertEquals(first.getString("id"), repeated.getString("id")),
        () -> assertEquals(2, repeated.getInteger("occurrences")),
        () -> assertEquals(2, repeated.getInteger("version")),
        () -> assertEquals(repeated.getString("updatedAt"), repeated.getString("lastOccurredAt")),
        () -> assertEquals("high", repeated.getString("severity")),
        () -> assertEquals("Door still open", repeated.getString("message")),
        () -> assertEquals("open", repeated.getString("status"), "a repeat's status is ignored"),
        () -> assertEquals(first.getString("createdAt"), repeated.getString("createdAt")),
        () -> assertEquals(repeated, data(hub.get("/incidents/" + first.getString("id")))));
  }

  @Test
  @DisplayName("a repeat with a lower severity and no message keeps the higher severity and the message")
  void repeatKeepsHigherSeverityAndMessage() {
    String channel = RunningHub.freshChannel("keep");
    hub.post("/incidents", body(channel, "press-7", "high").put("message", "Overheating"));

    JsonObject repeated = data(hub.post("/incidents", body(channel, "press-7", "low")));

    assertEquals("high", repeated.getString("severity"));
    assertEquals("Overheating", repeated.getString("message"));
    assertEquals(2, repeated.getInteger("occurrences"));
  }

  @Test
  @DisplayName("a repeat pushes incident.updated with the new occurrence count and adds a repeat entry to the history")
  void repeatIsPushedAndRecorded() {
    String channel = RunningHub.freshChannel("pushed");
    JsonObject first = data(hub.post("/incidents", body(channel, "scanner-2", "low")));
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    JsonObject repeated = data(hub.post("/incidents", body(channel, "scanner-2", "low")));

    JsonObject event = Frames.withoutCursor(socket.next());
    socket.close();
    List<String> types = hub.get("/incidents/" + first.getString("id") + "/history").bodyAsJsonObject()
        .getJsonArray("data").stream().map(entry -> ((JsonObject) entry).getString("type")).toList();
    assertAll(
        () -> assertEquals(new JsonObject().put("type", "incident.updated").put("incident", repeated), event),
        () -> assertEquals(List.of("created", "repeat"), types));
  }

  @Test
  @DisplayName("the same key in another channel is another incident")
  void keyIsPerChannel() {
    JsonObject madrid = data(hub.post("/incidents", body(RunningHub.freshChannel("madrid"), "dock-1", "low")));
    HttpResponse<Buffer> lyon = hub.post("/incidents", body(RunningHub.freshChannel("lyon"), "dock-1", "low"));

    assertEquals(201, lyon.statusCode());
    assertNotEquals(madrid.getString("id"), data(lyon).getString("id"));
  }

  @Test
  @DisplayName("once the incident is resolved, the key starts a new incident")
  void resolvedGivesTheKeyUp() {
    String channel = RunningHub.freshChannel("resolved");
    JsonObject first = data(hub.post("/incidents", body(channel, "belt-3", "low")));
    hub.setStatus(first, "resolved");

    HttpResponse<Buffer> response = hub.post("/incidents", body(channel, "belt-3", "low"));

    assertEquals(201, response.statusCode());
    assertEquals(1, data(response).getInteger("occurrences"));
    assertNotEquals(first.getString("id"), data(response).getString("id"));
  }

  @Test
  @DisplayName("reopening takes the key back: the next create with it is a repeat of the reopened incident")
  void reopenTakesTheKeyBack() {
    String channel = RunningHub.freshChannel("reopen");
    JsonObject first = data(hub.post("/incidents", body(channel, "valve-2", "low")));
    hub.setStatus(first, "resolved");
    hub.setStatus(first, "acknowledged");

    HttpResponse<Buffer> response = hub.post("/incidents", body(channel, "valve-2", "low"));

    assertEquals(200, response.statusCode());
    assertEquals(first.getString("id"), data(response).getString("id"));
    assertEquals(2, data(response).getInteger("occurrences"));
  }

  @Test
  @DisplayName("reopening while another unresolved incident holds the key leaves the key with that one")
  void reopenLeavesAHeldKey() {
    String channel = RunningHub.freshChannel("held");
    JsonObject first = data(hub.post("/incidents", body(channel, "gate-9", "low")));
    hub.setStatus(first, "resolved");
    JsonObject second = data(hub.post("/incidents", body(channel, "gate-9", "low")));
    JsonObject reopened = hub.setStatus(first, "open");

    JsonObject repeated = data(hub.post("/incidents", body(channel, "gate-9", "low")));

    assertAll(
        () -> assertEquals("open", reopened.getString("status")),
        () -> assertEquals("gate-9", reopened.getString("dedupKey"), "it still says which key it was created with"),
        () -> assertEquals(second.getString("id"), repeated.getString("id")),
        () -> assertEquals(1, data(hub.get("/incidents/" + first.getString("id"))).getInteger("occurrences")));
  }

  @Test
  @DisplayName("concurrent creates with one key make exactly one incident: one 201, the rest 200, each occurrence "
      + "and version handed out once")
  void concurrentCreatesMakeOneIncident() {
    int creates = 24;
    String channel = RunningHub.freshChannel("storm");
    WebClient client = WebClient.create(hub.vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(hub.port),
        new PoolOptions().setHttp1MaxSize(creates));
    List<Future<HttpResponse<Buffer>>> sent = IntStream.range(0, creates)
        .mapToObj(i -> client.post("/incidents").sendJsonObject(body(channel, "flapping-sensor", "low")))
        .toList();
    List<HttpResponse<Buffer>> responses = RunningHub.await(Future.all(sent)).list();
    client.close();

    Map<Integer, Long> statuses = responses.stream()
        .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    Set<String> ids = responses.stream().map(response -> data(response).getString("id")).collect(Collectors.toSet());
    Set<Integer> occurrences = responses.stream().map(response -> data(response).getInteger("occurrences"))
        .collect(Collectors.toSet());
    Set<Integer> versions = responses.stream().map(response -> data(response).getInteger("version"))
        .collect(Collectors.toSet());
    Set<Integer> oneToN = IntStream.rangeClosed(1, creates).boxed().collect(Collectors.toSet());
    JsonObject stored = data(hub.get("/incidents/" + ids.iterator().next()));
    assertAll(
        () -> assertEquals(Map.of(201, 1L, 200, creates - 1L), statuses),
        () -> assertEquals(1, ids.size(), "one incident"),
        () -> assertEquals(oneToN, occurrences),
        () -> assertEquals(oneToN, versions),
        () -> assertEquals(creates, stored.getInteger("occurrences")),
        () -> assertEquals(1L, hub.get("/incidents?channel=" + channel).bodyAsJsonObject().getJsonObject("page")
            .getLong("total")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      empty                   | ""
      a space                 | "sensor 7"
      a slash                 | "dock/1"
      129 characters          | "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      """)
  @DisplayName("a dedupKey outside the rule answers 400 naming dedupKey")
  void refusesBadKey(String why, String key) {
    HttpResponse<Buffer> response = hub.post("/incidents", body("general", key, "low"));

    assertEquals(400, response.statusCode());
    assertEquals(ErrorBodies.invalidField("dedupKey", KEY_RULE), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("a dedupKey that is not a string answers 400 naming dedupKey")
  void refusesKeyOfWrongType() {
    HttpResponse<Buffer> response = hub.post("/incidents",
        new JsonObject().put("title", "t").put("severity", "low").put("dedupKey", 7));

    assertEquals(ErrorBodies.invalidField("dedupKey", "dedupKey must be a string"), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("128 characters of every allowed kind make a valid key")
  void acceptsLongestKey() {
    String key = ("Az09._:-".repeat(16));
    HttpResponse<Buffer> response = hub.post("/incidents", body(RunningHub.freshChannel("long"), key, "low"));

    assertEquals(201, response.statusCode());
    assertEquals(key, data(response).getString("dedupKey"));
  }

  private static JsonObject body(String channel, String key, String severity) {
    return new JsonObject().put("title", "Repeating alert").put("severity", severity).put("channel", channel)
        .put("dedupKey", key);
  }
}
