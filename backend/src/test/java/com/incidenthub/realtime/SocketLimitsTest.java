package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Per-socket limits: channels and message rate")
class SocketLimitsTest {
  private RunningHub hub;
  private TestSocket socket;

  @AfterEach
  void stop() {
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
    hub.close();
  }

  @Test
  @DisplayName("an upgrade asking for more channels than MAX_CHANNELS_PER_SOCKET is 400 VALIDATION_FAILED")
  void upgradePastChannelCap() {
    hub = RunningHub.start(Map.of("MAX_CHANNELS_PER_SOCKET", "3"));

    HttpResponse<Buffer> response = hub.refusedUpgrade("/ws?channels=a,b,c,d", Map.of());

    assertEquals(400, response.statusCode());
    assertEquals(ErrorBodies.invalidField("channels", "channels may name at most 3 channels per socket, got 4"),
        response.bodyAsJsonObject());
  }

  @ParameterizedTest(name = "channels={0}")
  @ValueSource(strings = {"a,b,c", "a,a,a,a,b", "*,a,b,c,d"})
  @DisplayName("repeated names count once and \"*\" counts as one channel")
  void upgradeWithinChannelCap(String channels) {
    hub = RunningHub.start(Map.of("MAX_CHANNELS_PER_SOCKET", "3"));

    socket = hub.connect("/ws?channels=" + channels);

    assertEquals("subscribed", socket.next().getString("type"));
  }

  @Test
  @DisplayName("a subscribe past the cap gets LIMIT_EXCEEDED, no subscribed echo, and changes nothing")
  void subscribePastChannelCap() {
    hub = RunningHub.start(Map.of("MAX_CHANNELS_PER_SOCKET", "3"));
    socket = hub.connect("/ws?channels=dock-a,dock-b").afterGreeting();

    socket.send(subscribe("dock-c", "dock-d"));
    JsonObject refusal = socket.next();
    socket.send(subscribe("dock-c"));

    assertEquals(new JsonObject().put("type", "error").put("code", "LIMIT_EXCEEDED").put("message",
        "A socket may follow at most 3 channels; this subscribe would make it 4, so nothing was changed"), refusal);
    assertEquals(new JsonObject().put("type", "subscribed")
        .put("channels", new JsonArray().add("dock-a").add("dock-b").add("dock-c")),
        Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("subscribing to \"*\" at the cap is allowed: it replaces the names and counts as one")
  void everyChannelAtTheCap() {
    hub = RunningHub.start(Map.of("MAX_CHANNELS_PER_SOCKET", "3"));
    socket = hub.connect("/ws?channels=a,b,c").afterGreeting();

    socket.send(subscribe("*"));

    assertEquals(new JsonObject().put("type", "subscribed").put("channels", new JsonArray().add("*")),
        Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("past MAX_MESSAGES_PER_SECOND (bursts of twice that) a socket is closed with 1008, logged once")
  void messageRate() {
    hub = RunningHub.start(Map.of("MAX_MESSAGES_PER_SECOND", "1"));
    TestSocket other = hub.connect("/ws").afterGreeting();
    socket = hub.connect("/ws").afterGreeting();

    short code;
    try (CapturedLog log = CapturedLog.of(SocketHub.class, Level.WARN)) {
      socket.flood(new JsonObject().put("type", "ping"), 10);
      code = socket.awaitClose();
      assertEquals(1, log.lines().stream()
          .filter(line -> line.getFormattedMessage().contains("faster than its rate allows")).count(), log.text());
    }

    assertEquals(1008, code);
    assertEquals("Too many messages", socket.raw().closeReason());
    assertEquals(List.of(new JsonObject().put("type", "pong"), new JsonObject().put("type", "pong")), socket.drain(),
        "the burst of two was answered, nothing after it");
    other.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), other.next(), "other sockets carry on");
    other.close();
  }

  private static JsonObject subscribe(String... channels) {
    return new JsonObject().put("type", "subscribe").put("channels", new JsonArray(List.of(channels)));
  }
}
