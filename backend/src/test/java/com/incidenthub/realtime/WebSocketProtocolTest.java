package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
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

@DisplayName("WebSocket /ws protocol")
class WebSocketProtocolTest extends SharedHubTest {
  private static final String BAD_CHANNELS = "channels must be a non-empty array of \"*\" or channel names (1-64 "
      + "characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit)";

  private TestSocket socket;

  @AfterEach
  void closeSocket() {
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
  }

  @Test
  @DisplayName("a socket without channels is subscribed to every channel")
  void greetsWithEveryChannel() {
    socket = hub.connect("/ws");

    assertEquals(subscribed("*"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("?channels=a,b subscribes to those channels")
  void greetsWithRequestedChannels() {
    socket = hub.connect("/ws?channels=dock-b,dock-a");

    assertEquals(subscribed("dock-a", "dock-b"), Frames.withoutCursor(socket.next()));
  }

  @ParameterizedTest(name = "channels={0}")
  @ValueSource(strings = {"Dock", "", "a,,b", ".hidden"})
  @DisplayName("an invalid channel name is refused before the upgrade with 400 and the error shape")
  void refusesInvalidChannelsBeforeUpgrade(String channels) {
    HttpResponse<Buffer> response = hub.refusedUpgrade("/ws?channels=" + channels, Map.of());

    assertEquals(400, response.statusCode());
    assertEquals("VALIDATION_FAILED", ErrorBodies.errorCode(response));
    assertEquals("channels", response.bodyAsJsonObject().getJsonObject("error").getJsonArray("details")
        .getJsonObject(0).getString("field"));
  }

  @Test
  @DisplayName("a WebSocket client sees the refusal as a rejected upgrade with status 400")
  void clientSeesRejectedUpgrade() {
    WebSocketClient client = hub.vertx.createWebSocketClient();

    Future<WebSocket> attempt = client.connect(hub.port, "127.0.0.1", "/ws?channels=BAD");
    RunningHub.await(attempt.transform(done -> Future.succeededFuture()));

    assertEquals(400, assertInstanceOf(UpgradeRejectedException.class, attempt.cause()).getStatus());
    RunningHub.await(client.close());
  }

  @Test
  @DisplayName("subscribe adds channels and answers the whole set")
  void subscribeAdds() {
    socket = hub.connect("/ws?channels=dock-a").afterGreeting();

    socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add("dock-c").add("dock-b")));

    assertEquals(subscribed("dock-a", "dock-b", "dock-c"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("unsubscribe removes channels and answers the whole set")
  void unsubscribeRemoves() {
    socket = hub.connect("/ws?channels=dock-a,dock-b").afterGreeting();

    socket.send(new JsonObject().put("type", "unsubscribe").put("channels", new JsonArray().add("dock-a")));

    assertEquals(subscribed("dock-b"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("\"*\" together with other channels leaves just \"*\"")
  void everyChannelAbsorbsOthers() {
    socket = hub.connect("/ws?channels=dock-a").afterGreeting();

    socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add("dock-b").add("*")));

    assertEquals(subscribed("*"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("?channels=a,* subscribes to every channel")
  void everyChannelInQuery() {
    socket = hub.connect("/ws?channels=dock-a,*");

    assertEquals(subscribed("*"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("unsubscribing \"*\" leaves no subscription")
  void unsubscribeEveryChannel() {
    socket = hub.connect("/ws").afterGreeting();

    socket.send(new JsonObject().put("type", "unsubscribe").put("channels", new JsonArray().add("*")));

    assertEquals(subscribed(), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("ping is answered with pong")
  void pingPong() {
    socket = hub.connect("/ws").afterGreeting();

    socket.send(new JsonObject().put("type", "ping"));

    assertEquals(new JsonObject().put("type", "pong"), socket.next());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"not json", "[1,2]", "\"ping\"", "{}", "{\"type\":\"shout\"}", "{\"type\":5}"})
  @DisplayName("a message that is not a known JSON command gets BAD_MESSAGE and the socket stays open")
  void badMessage(String text) {
    socket = hub.connect("/ws").afterGreeting();

    socket.sendText(text);
    JsonObject error = socket.next();
    socket.send(new JsonObject().put("type", "ping"));

    assertEquals("error", error.getString("type"));
    assertEquals("BAD_MESSAGE", error.getString("code"));
    assertEquals(new JsonObject().put("type", "pong"), socket.next());
  }

  @Test
  @DisplayName("an unknown type names the types it expects")
  void unknownTypeMessage() {
    socket = hub.connect("/ws").afterGreeting();

    socket.send(new JsonObject().put("type", "shout"));

    assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE")
        .put("message", "Unknown message type 'shout'; expected subscribe, unsubscribe or ping"), socket.next());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"type\":\"subscribe\"}",
      "{\"type\":\"subscribe\",\"channels\":[]}",
      "{\"type\":\"subscribe\",\"channels\":\"dock-a\"}",
      "{\"type\":\"subscribe\",\"channels\":[\"Dock\"]}",
      "{\"type\":\"unsubscribe\",\"channels\":[\"ok\",7]}"})
  @DisplayName("an invalid channel list gets BAD_MESSAGE and leaves the subscription as it was")
  void badChannels(String text) {
    socket = hub.connect("/ws?channels=dock-a").afterGreeting();

    socket.sendText(text);
    JsonObject error = socket.next();
    socket.send(new JsonObject().put("type", "subscribe").put("channels", new JsonArray().add("dock-z")));

    assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE").put("message", BAD_CHANNELS), error);
    assertEquals(subscribed("dock-a", "dock-z"), Frames.withoutCursor(socket.next()));
  }

  @Test
  @DisplayName("a binary frame gets BAD_MESSAGE")
  void binaryFrame() {
    socket = hub.connect("/ws").afterGreeting();

    RunningHub.await(socket.raw().writeBinaryMessage(Buffer.buffer("{\"type\":\"ping\"}")));

    assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE")
        .put("message", "Only JSON text frames are understood"), socket.next());
  }

  @Test
  @DisplayName("a message over 64 KiB gets BAD_MESSAGE and the socket stays open")
  void oversizedMessage() {
    socket = hub.connect("/ws", new WebSocketClientOptions().setMaxFrameSize(4 * 1024 * 1024)).afterGreeting();
    String padding = "x".repeat(Protocol.MAX_MESSAGE_BYTES - "{\"type\":\"ping\",\"pad\":\"\"}".length());

    socket.sendText("{\"type\":\"ping\",\"pad\":\"" + padding + "\"}");
    socket.sendText("{\"type\":\"ping\",\"pad\":\"" + padding + "é\"}");

    assertEquals(new JsonObject().put("type", "pong"), socket.next());
    assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE")
        .put("message", "Messages must be at most 65536 bytes"), socket.next());
    socket.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), socket.next());
  }

  @Test
  @DisplayName("a frame over 1 MiB is not buffered: the socket is closed with 1009 and a close frame")
  void hugeFrame() {
    socket = hub.connect("/ws", new WebSocketClientOptions().setMaxFrameSize(4 * 1024 * 1024)).afterGreeting();

    socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(SocketEndpoint.MAX_FRAME_BYTES) + "\"}");

    assertEquals(1009, socket.awaitClose());
    assertEquals("Max frame length of 1048576 has been exceeded.", socket.raw().closeReason());
  }

  @Test
  @DisplayName("permessage-deflate is declined, since deflating each small frame per socket costs more than it saves")
  void declinesCompression() {
    socket = hub.connect("/ws", new WebSocketClientOptions().setTryUsePerMessageCompression(true)
        .setTryUsePerFrameCompression(true)).afterGreeting();

    assertEquals(null, socket.raw().headers().get("Sec-WebSocket-Extensions"));
  }

  @Test
  @DisplayName("a request to /ws that is not an upgrade gets 400 in the error shape")
  void plainGet() {
    HttpResponse<Buffer> response = hub.get("/ws");

    assertEquals(400, response.statusCode());
    assertEquals("VALIDATION_FAILED", ErrorBodies.errorCode(response));
  }

  private static JsonObject subscribed(String... channels) {
    return new JsonObject().put("type", "subscribed").put("channels", new JsonArray(List.of(channels)));
  }
}
