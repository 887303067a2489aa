package com.incidenthub.realtime;

import static com.incidenthub.testing.RawWebSocket.CONTINUATION;
import static com.incidenthub.testing.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RawHttp;
import com.incidenthub.testing.RawWebSocket;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Frames and upgrades that break RFC 6455, sent by hand: each gets a 4xx or a close frame with the code it needs. */
@DisplayName("WebSocket: the RFC 6455 rules")
class Rfc6455Test extends SharedHubTest {
  private static final JsonObject PONG = new JsonObject().put("type", "pong");

  @Test
  @DisplayName("invalid UTF-8 in a text frame closes the socket with 1007")
  void invalidUtf8() {
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, new byte[] {'{', '"', (byte) 0xff, '"', '}'}, true);

      RawWebSocket.Frame close = socket.awaitClose();

      assertEquals(1007, close.closeCode());
      assertEquals("bytes are not UTF-8", close.closeReason());
    }
  }

  @Test
  @DisplayName("invalid UTF-8 across fragments closes the socket with 1007")
  void invalidUtf8AcrossFragments() {
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, new byte[] {'"', (byte) 0xe2}, false)
          .send(CONTINUATION, new byte[] {0x28, (byte) 0xa1, '"'}, true);

      assertEquals(1007, socket.awaitClose().closeCode());
    }
  }

  @Test
  @DisplayName("a character split between two fragments is one valid message")
  void characterSplitAcrossFragments() {
    byte[] message = "{\"type\":\"ping\",\"note\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    int middleOfE = new String(message, StandardCharsets.UTF_8).indexOf('\u00e9') + 1;
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, Arrays.copyOfRange(message, 0, middleOfE), false)
          .send(CONTINUATION, Arrays.copyOfRange(message, middleOfE, message.length), true);

      assertEquals(PONG, new JsonObject(socket.next().text()));
    }
  }

  @Test
  @DisplayName("a message whose first fragment is empty is one message, and the next one is not lost")
  void emptyFirstFragment() {
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, new byte[0], false)
          .send(CONTINUATION, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true)
          .sendText("{\"type\":\"ping\"}");

      assertEquals(PONG, new JsonObject(socket.next().text()));
      assertEquals(PONG, new JsonObject(socket.next().text()));
    }
  }

  @ParameterizedTest(name = "close code {0}")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, 65535})
  @DisplayName("a close frame with a code RFC 6455 does not allow is answered with 1002, not echoed")
  void invalidCloseCode(int code) {
    try (RawWebSocket socket = greeted()) {
      socket.sendClose(code);

      assertEquals(1002, socket.awaitClose().closeCode());
    }
  }

  @Test
  @DisplayName("a valid close code is echoed, as the closing handshake asks")
  void validCloseCode() {
    try (RawWebSocket socket = greeted()) {
      socket.sendClose(4000);

      assertEquals(4000, socket.awaitClose().closeCode());
    }
  }

  @Test
  @DisplayName("a frame without the client's mask closes the socket with 1002")
  void unmaskedFrame() {
    try (RawWebSocket socket = greeted()) {
      socket.sendUnmasked(TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));

      assertEquals(1002, socket.awaitClose().closeCode());
    }
  }

  @Test
  @DisplayName("a message over 1 MiB in fragments, each under the frame limit, closes the socket with 1009")
  void oversizedFragmentedMessage() {
    byte[] fragment = new byte[256 * 1024];
    Arrays.fill(fragment, (byte) 'x');
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, fragment, false);
      for (int sent = fragment.length; sent <= SocketEndpoint.MAX_FRAME_BYTES; sent += fragment.length) {
        socket.send(CONTINUATION, fragment, false);
      }

      RawWebSocket.Frame close = socket.awaitClose();

      assertEquals(1009, close.closeCode());
      assertEquals("Messages must be at most 1048576 bytes", close.closeReason());
    }
  }

  @Test
  @DisplayName("a message over 64 KiB in fragments gets BAD_MESSAGE, and the socket stays open")
  void overLimitFragmentedMessage() {
    byte[] head = "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] padding = new byte[40 * 1024];
    Arrays.fill(padding, (byte) 'x');
    try (RawWebSocket socket = greeted()) {
      socket.send(TEXT, head, false).send(CONTINUATION, padding, false).send(CONTINUATION, padding, false)
          .send(CONTINUATION, "\"}".getBytes(StandardCharsets.UTF_8), true);
      JsonObject error = new JsonObject(socket.next().text());
      socket.sendText("{\"type\":\"ping\"}");

      assertEquals(new JsonObject().put("type", "error").put("code", "BAD_MESSAGE")
          .put("message", "Messages must be at most 65536 bytes"), error);
      assertEquals(PONG, new JsonObject(socket.next().text()));
    }
  }

  @ParameterizedTest(name = "Sec-WebSocket-Key: {0}")
  @ValueSource(strings = {"short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZSEh", "!!!!!!!!!!!!!!!!!!!!!!=="})
  @DisplayName("an upgrade with an invalid Sec-WebSocket-Key is refused with 400 naming the header")
  void invalidKey(String key) {
    RawHttp.Response response = upgrade("Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n");

    assertEquals(400, response.status());
    assertEquals(ErrorBodies.invalidField("Sec-WebSocket-Key", "Sec-WebSocket-Key must be 16 bytes in base64 "
        + "(RFC 6455, 4.1)"), response.json());
  }

  @Test
  @DisplayName("an upgrade without Sec-WebSocket-Key is refused with 400 naming the header")
  void missingKey() {
    RawHttp.Response response = upgrade("Sec-WebSocket-Version: 13\r\n");

    assertEquals(400, response.status());
    assertEquals("Sec-WebSocket-Key", response.json().getJsonObject("error").getJsonArray("details")
        .getJsonObject(0).getString("field"));
  }

  @ParameterizedTest(name = "Sec-WebSocket-Version: {0}")
  @ValueSource(strings = {"8", "7", "14", "13, 8"})
  @DisplayName("an upgrade of another WebSocket version gets 426 naming the one spoken")
  void otherVersion(String version) {
    RawHttp.Response response = upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
        + version + "\r\n");

    assertEquals(426, response.status());
    assertEquals("13", response.header("Sec-WebSocket-Version"));
    assertEquals("UPGRADE_REQUIRED", response.json().getJsonObject("error").getString("code"));
  }

  @Test
  @DisplayName("an upgrade without Connection: Upgrade is refused with 400 in the error shape")
  void noConnectionUpgrade() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      RawHttp.Response response = connection.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          + "Connection: keep-alive\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n")
          .response();

      assertEquals(ErrorBodies.invalidField("Connection", "A WebSocket upgrade needs Connection: Upgrade"),
          response.json());
    }
  }

  private static RawWebSocket greeted() {
    RawWebSocket socket = RawWebSocket.open(hub.port, "/ws");
    assertEquals("subscribed", new JsonObject(socket.next().text()).getString("type"));
    return socket;
  }

  private static RawHttp.Response upgrade(String headers) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      return connection.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + headers
          + "\r\n").response();
    }
  }
}
