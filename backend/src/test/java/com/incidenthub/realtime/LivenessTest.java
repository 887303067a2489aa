package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("WebSocket liveness pings")
class LivenessTest {
  private static RunningHub hub;

  @BeforeAll
  static void start() {
    hub = RunningHub.start(Map.of("WS_PING_INTERVAL_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  @DisplayName("a socket that answers pings stays connected through several of them")
  void answeringSocketStays() throws InterruptedException {
    TestSocket socket = hub.connect("/ws").afterGreeting();
    CountDownLatch pings = new CountDownLatch(3);
    hub.vertx.runOnContext(ignored -> socket.raw().frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING) {
        pings.countDown();
      }
    }));

    assertTrue(pings.await(10, TimeUnit.SECONDS), "fewer than 3 pings within 10 s");
    socket.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), socket.next());
    socket.close();
  }

  @Test
  @DisplayName("a peer that never answers pings is dropped")
  void silentPeerIsDropped() throws Exception {
    NetClient tcp = hub.vertx.createNetClient();
    NetSocket connection = RunningHub.await(tcp.connect(hub.port, "127.0.0.1"));
    CompletableFuture<Void> dropped = new CompletableFuture<>();
    CompletableFuture<String> handshake = new CompletableFuture<>();
    connection.handler(bytes -> handshake.complete(bytes.toString()));
    connection.closeHandler(closed -> dropped.complete(null));

    // A hand-written upgrade: this client reads nothing after it, so it never answers a ping.
    RunningHub.await(connection.write(Buffer.buffer("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")));

    assertTrue(handshake.get(5, TimeUnit.SECONDS).startsWith("HTTP/1.1 101"));
    dropped.get(15, TimeUnit.SECONDS);
    assertEquals(0, hub.get("/health").bodyAsJsonObject().getInteger("websockets"));
    RunningHub.await(tcp.close());
  }
}
