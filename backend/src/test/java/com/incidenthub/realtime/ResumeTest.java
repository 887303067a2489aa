package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Resuming a WebSocket with a cursor")
class ResumeTest extends SharedHubTest {

  @Test
  @DisplayName("every subscribed frame and every change carries a cursor, and the changes' cursors increase")
  void cursorsOnEveryFrame() {
    String channel = RunningHub.freshChannel("cursors");
    TestSocket socket = hub.connect("/ws?channels=" + channel);
    long live = Frames.seqOf(socket.next());

    hub.create(channel, "first");
    hub.create(channel, "second");
    long first = Frames.seqOf(socket.next());
    long second = Frames.seqOf(socket.next());

    assertTrue(live < first && first < second, live + " < " + first + " < " + second);
    socket.close();
  }

  @Test
  @DisplayName("a client that resumes with its last cursor gets what it missed, replayed in order, then live changes")
  void resumeReplaysMissedChanges() {
    String channel = RunningHub.freshChannel("resume");
    TestSocket before = hub.connect("/ws?channels=" + channel).afterGreeting();
    JsonObject seen = hub.create(channel, "seen before the drop");
    String cursor = before.next().getString("cursor");
    before.close();

    JsonObject x = hub.create(channel, "x");
    JsonObject y = hub.create(channel, "y");
    JsonObject xAcknowledged = patch(x, "acknowledged");
    hub.patch("/incidents/" + seen.getString("id"), new JsonObject().put("status", "resolved"));
    JsonObject seenResolved = hub.get("/incidents/" + seen.getString("id")).bodyAsJsonObject().getJsonObject("data");
    TestSocket after = hub.connect("/ws?channels=" + channel + "&since=" + cursor);

    JsonObject greeting = after.next();
    assertEquals(new JsonObject().put("type", "subscribed").put("channels", new JsonArray().add(channel))
        .put("cursor", cursor).put("recovered", true), greeting);
    assertEquals(replayed("incident.created", y), Frames.withoutCursor(after.next()));
    assertEquals(replayed("incident.updated", xAcknowledged), Frames.withoutCursor(after.next()));
    assertEquals(replayed("incident.updated", seenResolved), Frames.withoutCursor(after.next()));
    JsonObject z = hub.create(channel, "z");
    assertEquals(new JsonObject().put("type", "incident.created").put("incident", z),
        Frames.withoutCursor(after.next()));
    after.close();
  }

  @Test
  @DisplayName("subscribe with since on an open socket replays the same way")
  void resumeByMessage() {
    String channel = RunningHub.freshChannel("message");
    String cursor = hub.connect("/ws?channels=" + channel).next().getString("cursor");
    JsonObject missed = hub.create(channel, "missed");
    TestSocket socket = hub.connect("/ws?channels=other-" + channel).afterGreeting();

    socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add(channel))
        .put("since", cursor));

    assertEquals(new JsonObject().put("type", "subscribed")
        .put("channels", new JsonArray().add(channel).add("other-" + channel)).put("cursor", cursor)
        .put("recovered", true), socket.next());
    assertEquals(replayed("incident.created", missed), Frames.withoutCursor(socket.next()));
    socket.close();
  }

  @Test
  @DisplayName("a channel the socket already follows is replayed only up to where it became live, so nothing twice")
  void noReplayOfWhatWasLive() {
    String channel = RunningHub.freshChannel("live");
    String cursor = hub.connect("/ws?channels=" + channel).next().getString("cursor");
    JsonObject beforeConnect = hub.create(channel, "before the socket");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    JsonObject whileLive = hub.create(channel, "while live");
    assertEquals(whileLive, socket.next().getJsonObject("incident"));

    socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add(channel))
        .put("since", cursor));

    assertEquals(true, socket.next().getBoolean("recovered"));
    assertEquals(replayed("incident.created", beforeConnect), Frames.withoutCursor(socket.next()));
    JsonObject marker = hub.create(channel, "marker");
    assertEquals(marker, socket.next().getJsonObject("incident"));
    socket.close();
  }

  @Test
  @DisplayName("a cursor of another store is answered recovered: false, with no replay, live from now")
  void foreignEpoch() {
    String channel = RunningHub.freshChannel("foreign");
    hub.create(channel, "not replayed");
    TestSocket socket = hub.connect("/ws?channels=" + channel + "&since=0123456789abcdef.1");

    JsonObject greeting = socket.next();
    assertEquals(false, greeting.getBoolean("recovered"));
    JsonObject live = hub.create(channel, "live");
    assertEquals(new JsonObject().put("type", "incident.created").put("incident", live),
        Frames.withoutCursor(socket.next()));
    socket.close();
  }

  @Test
  @DisplayName("a cursor ahead of the store was never issued by it: recovered: false")
  void aheadOfStore() {
    String channel = RunningHub.freshChannel("ahead");
    String cursor = hub.connect("/ws?channels=" + channel).next().getString("cursor");
    String ahead = cursor.substring(0, cursor.indexOf('.') + 1) + (Frames.seqOf(new JsonObject().put("cursor", cursor))
        + 1_000_000);

    TestSocket socket = hub.connect("/ws?channels=" + channel + "&since=" + ahead);

    JsonObject greeting = socket.next();
    assertEquals(false, greeting.getBoolean("recovered"));
    assertEquals(cursor, greeting.getString("cursor"));
    socket.close();
  }

  @Test
  @DisplayName("a well-formed value that is no cursor of this service is answered recovered: false")
  void notOurFormat() {
    TestSocket socket = hub.connect("/ws?since=not-a-cursor~of-ours");

    assertEquals(false, socket.next().getBoolean("recovered"));
    socket.close();
  }

  @ParameterizedTest(name = "since={0}")
  @ValueSource(strings = {"", "a%20b", "a/1", "x&since=y"})
  @DisplayName("a since that cannot be a cursor is refused before the upgrade with 400 naming since")
  void malformedSinceBeforeUpgrade(String since) {
    HttpResponse<Buffer> response = hub.refusedUpgrade("/ws?since=" + since, Map.of());

    assertEquals(400, response.statusCode());
    assertEquals("VALIDATION_FAILED", ErrorBodies.errorCode(response));
    assertEquals("since", response.bodyAsJsonObject().getJsonObject("error").getJsonArray("details")
        .getJsonObject(0).getString("field"));
  }

  @Test
  @DisplayName("a since over 256 characters is refused before the upgrade")
  void tooLongSince() {
    HttpResponse<Buffer> response = hub.refusedUpgrade("/ws?since=" + "a".repeat(257), Map.of());

    assertEquals(ErrorBodies.invalidField("since", "since must be a cursor: 1-256 characters of A-Z, a-z, 0-9, '_', "
        + "'.', '~' or '-'"), response.bodyAsJsonObject());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\"\"", "5", "\"a b\"", "[\"x\"]", "null"})
  @DisplayName("on an open socket, a since that cannot be a cursor gets BAD_MESSAGE and the socket stays open")
  void malformedSinceMessage(String since) {
    TestSocket socket = hub.connect("/ws?channels=dock-a").afterGreeting();

    socket.sendText("{\"type\":\"subscribe\",\"channels\":[\"dock-b\"],\"since\":" + since + "}");
    JsonObject answer = socket.next();
    socket.send(new JsonObject().put("type", "ping"));

    if ("null".equals(since)) {
      assertEquals(List.of("dock-a", "dock-b"), answer.getJsonArray("channels").getList());
    } else {
      assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE").put("message",
          "since must be a cursor: 1-256 characters of A-Z, a-z, 0-9, '_', '.', '~' or '-'"), answer);
    }
    assertEquals(new JsonObject().put("type", "pong"), socket.next());
    socket.close();
  }

  @Test
  @DisplayName("changes made while a replay runs reach the socket once each and in version order")
  void replayLiveRace() {
    String channel = RunningHub.freshChannel("race");
    String cursor = hub.connect("/ws?channels=" + channel).next().getString("cursor");
    List<JsonObject> incidents = IntStream.range(0, 20).mapToObj(i -> hub.create(channel, "race " + i)).toList();

    List<Future<HttpResponse<Buffer>>> changes = new ArrayList<>();
    for (String status : List.of("acknowledged", "resolved", "open")) {
      for (JsonObject incident : incidents) {
        changes.add(hub.http.patch("/incidents/" + incident.getString("id"))
            .sendJsonObject(new JsonObject().put("status", status)));
      }
    }
    TestSocket socket = hub.connect("/ws?channels=" + channel + "&since=" + cursor);
    RunningHub.await(Future.all(changes));

    assertEquals(true, socket.next().getBoolean("recovered"));
    Map<String, Integer> latest = new HashMap<>();
    for (JsonObject incident : incidents) {
      latest.put(incident.getString("id"), hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject()
          .getJsonObject("data").getInteger("version"));
    }
    Map<String, Integer> received = new HashMap<>();
    long previousSeq = 0;
    while (!received.equals(latest)) {
      JsonObject frame = socket.next();
      JsonObject incident = frame.getJsonObject("incident");
      int version = incident.getInteger("version");
      int previous = received.getOrDefault(incident.getString("id"), 0);
      assertTrue(version > previous, incident.getString("id") + ": version " + version + " after " + previous);
      received.put(incident.getString("id"), version);
      long seq = Frames.seqOf(frame);
      assertTrue(seq > previousSeq, "cursor " + seq + " after " + previousSeq);
      previousSeq = seq;
    }
    JsonObject marker = hub.create(channel, "marker");
    assertEquals(marker, socket.next().getJsonObject("incident"));
    socket.close();
  }

  private static JsonObject patch(JsonObject incident, String status) {
    return hub.patch("/incidents/" + incident.getString("id"), new JsonObject().put("status", status))
        .bodyAsJsonObject().getJsonObject("data");
  }

  private static JsonObject replayed(String type, JsonObject incident) {
    return new JsonObject().put("type", type).put("incident", incident).put("replayed", true);
  }
}
