package com.incidenthub.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.RawHttp;
import com.incidenthub.testing.RawWebSocket;
import com.incidenthub.testing.RunningHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * HTTP_IDLE_TIMEOUT_SECONDS and HTTP_REQUEST_TIMEOUT_SECONDS, set to 2 s and 1 s. Slow senders are paced by a
 * timer, one byte every 100 ms, so that no request ever completes within the request timeout.
 */
@DisplayName("Connection deadlines")
class ConnectionDeadlinesTest {
  private static final Duration IDLE = Duration.ofSeconds(2);
  private static final Duration REQUEST = Duration.ofSeconds(1);
  /** How late a deadline may fire on a busy CI machine. */
  private static final Duration SLACK = Duration.ofMillis(1500);
  private static final Duration BYTE_EVERY = Duration.ofMillis(100);

  private static RunningHub hub;
  private static ScheduledExecutorService pacer;

  @BeforeAll
  static void start() {
    hub = RunningHub.start(Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "2", "HTTP_REQUEST_TIMEOUT_SECONDS", "1",
        "WS_PING_INTERVAL_SECONDS", "4"));
    pacer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() {
    pacer.shutdownNow();
    hub.close();
  }

  @Test
  @DisplayName("a keep-alive connection with no request in flight is closed after the idle timeout, without a word")
  void idleKeepAlive() {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      assertEquals(200, connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").response().status());
      long answered = System.nanoTime();

      String after = connection.untilClosed(IDLE.plus(SLACK));

      assertEquals("", after);
      assertBetween(IDLE, IDLE.plus(SLACK), answered);
    }
  }

  @Test
  @DisplayName("a connection that sends nothing at all is idle: closed after the idle timeout, not the request timeout")
  void silentConnection() {
    long opened = System.nanoTime();
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      assertEquals("", connection.untilClosed(IDLE.plus(SLACK)));
      assertBetween(IDLE, IDLE.plus(SLACK), opened);
    }
  }

  @Test
  @DisplayName("a request line and headers trickling in get 408 within the request timeout of their first byte")
  void slowHeaders() {
    assertTimesOut("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n", "");
  }

  @Test
  @DisplayName("a request line that never ends gets 408 within the request timeout")
  void endlessRequestLine() {
    assertTimesOut("GET /" + "a".repeat(200), "");
  }

  @Test
  @DisplayName("a body trickling in gets 408 within the request timeout of the request's first byte")
  void slowBody() {
    assertTimesOut("{\"title\":\"" + "t".repeat(100) + "\",\"severity\":\"low\"}",
        "POST /incidents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 130\r\n\r\n");
  }

  @Test
  @DisplayName("a request that arrives slowly but whole within the request timeout is answered")
  void slowButInTime() throws Exception {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      CompletableFuture<Void> sending = trickle(connection, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
          Duration.ofMillis(15));

      assertEquals(200, connection.response().status());
      sending.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("a WebSocket outlives both timeouts: its liveness is the ping")
  void webSocketsAreExempt() {
    long opened = System.nanoTime();
    try (RawWebSocket socket = RawWebSocket.open(hub.port, "/ws")) {
      assertEquals("subscribed", new JsonObject(socket.next().text()).getString("type"));

      // The hub pings every 4 s on its own clock: answer its pings until one comes after the idle timeout.
      while (System.nanoTime() - opened <= IDLE.plus(REQUEST).toNanos()) {
        RawWebSocket.Frame ping = socket.next();
        assertEquals(RawWebSocket.PING, ping.opcode());
        socket.send(RawWebSocket.PONG, ping.payload(), true);
      }
      socket.sendText("{\"type\":\"ping\"}");

      assertEquals(new JsonObject().put("type", "pong"), new JsonObject(socket.next().text()));
    }
  }

  /**
   * Sends {@code head} at once, then {@code slowly} one byte at a time; expects 408 in the error shape and the
   * connection closed, within the request timeout of the request's first byte.
   */
  private static void assertTimesOut(String slowly, String head) {
    try (RawHttp connection = RawHttp.connect(hub.port)) {
      long firstByte = System.nanoTime();
      if (!head.isEmpty()) {
        connection.send(head);
      }
      CompletableFuture<Void> sending = trickle(connection, slowly, BYTE_EVERY);
      try {
        RawHttp.Response response = connection.response();
        connection.untilClosed(SLACK);

        assertEquals(408, response.status());
        assertEquals("close", response.header("Connection"));
        assertEquals(new JsonObject().put("error", new JsonObject().put("code", "REQUEST_TIMEOUT")
            .put("message", "The request did not arrive whole within 1 s").put("details", new JsonArray())),
            response.json());
        assertBetween(REQUEST, REQUEST.plus(SLACK), firstByte);
      } finally {
        sending.cancel(true);
      }
    }
  }

  /** Writes {@code text} one byte per {@code every}, starting now; completes once all is sent or the server closed. */
  private static CompletableFuture<Void> trickle(RawHttp connection, String text, Duration every) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    AtomicInteger next = new AtomicInteger();
    ScheduledFuture<?> task = pacer.scheduleAtFixedRate(() -> {
      int index = next.getAndIncrement();
      if (index >= text.length()) {
        sent.complete(null);
        return;
      }
      try {
        connection.send(text.substring(index, index + 1));
      } catch (AssertionError closed) {
        sent.completeExceptionally(closed);
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    sent.whenComplete((done, failure) -> task.cancel(false));
    return sent;
  }

  private static void assertBetween(Duration least, Duration most, long since) {
    Duration took = Duration.ofNanos(System.nanoTime() - since);
    assertTrue(took.compareTo(least.minusMillis(50)) >= 0 && took.compareTo(most) <= 0,
        "took " + took.toMillis() + " ms; expected " + least.toMillis() + " to " + most.toMillis() + " ms");
  }
}
