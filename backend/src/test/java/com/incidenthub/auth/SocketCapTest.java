package com.incidenthub.auth;

import static com.incidenthub.auth.AuthenticationTest.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.Awaits;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MAX_SOCKETS_PER_CLIENT: open sockets per principal")
class SocketCapTest {
  private final List<TestSocket> sockets = new ArrayList<>();
  private RunningHub hub;

  @BeforeEach
  void start() {
    hub = RunningHub.start(TestTokens.settings("MAX_SOCKETS_PER_CLIENT", "2"));
  }

  @AfterEach
  void stop() {
    sockets.stream().filter(socket -> !socket.isClosed()).forEach(TestSocket::close);
    hub.close();
  }

  @Test
  @DisplayName("the upgrade past the cap is refused with 429 RATE_LIMITED")
  void refusedPastTheCap() {
    open(TestTokens.VIEWER);
    open(TestTokens.VIEWER);

    HttpResponse<Buffer> refused = refusedUpgrade(TestTokens.VIEWER);

    assertEquals(429, refused.statusCode());
    assertEquals(error("RATE_LIMITED", "Too many open sockets: at most 2 per client; close one first"),
        refused.bodyAsJsonObject());
  }

  @Test
  @DisplayName("another principal has sockets of its own")
  void otherPrincipals() {
    open(TestTokens.VIEWER);
    open(TestTokens.VIEWER);

    open(TestTokens.OPERATOR);
    open(TestTokens.OPERATOR);
    assertEquals(429, refusedUpgrade(TestTokens.OPERATOR).statusCode());
  }

  @Test
  @DisplayName("closing a socket frees its place at once")
  void closingFreesAPlace() {
    TestSocket first = open(TestTokens.VIEWER);
    open(TestTokens.VIEWER);

    first.close();
    Awaits.until("the server to see the socket closed",
        () -> hub.get("/health").bodyAsJsonObject().getInteger("websockets") == 1 ? true : null);

    assertEquals("subscribed", open(TestTokens.VIEWER).next().getString("type"));
  }

  @Test
  @DisplayName("refused upgrades, for the cap or for bad channels, hold no place")
  void refusalsHoldNothing() {
    open(TestTokens.VIEWER);
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> invalid = hub.refusedUpgrade("/ws?channels=Not-A-Channel",
          Map.of("Authorization", "Bearer " + TestTokens.VIEWER));
      assertEquals(400, invalid.statusCode());
    }
    open(TestTokens.VIEWER);
    for (int i = 0; i < 3; i++) {
      assertEquals(429, refusedUpgrade(TestTokens.VIEWER).statusCode());
    }

    sockets.get(0).close();
    Awaits.until("the server to see the socket closed",
        () -> hub.get("/health").bodyAsJsonObject().getInteger("websockets") == 1 ? true : null);
    open(TestTokens.VIEWER);
    assertEquals(429, refusedUpgrade(TestTokens.VIEWER).statusCode());
  }

  private TestSocket open(String token) {
    TestSocket socket = hub.connect(new WebSocketConnectOptions().setURI("/ws?access_token=" + token));
    sockets.add(socket);
    return socket;
  }

  private HttpResponse<Buffer> refusedUpgrade(String token) {
    return hub.refusedUpgrade("/ws?access_token=" + token, Map.of());
  }
}
