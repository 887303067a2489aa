package com.incidenthub.auth;

import static com.incidenthub.auth.AuthenticationTest.error;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** In open mode, where the Origin check is the only thing between a visited web page and the hub. */
@DisplayName("The Origin check on writes and WebSocket upgrades")
class OriginTest {
  private static final String FOREIGN = "https://evil.example";
  private static RunningHub hub;
  private static RunningHub behindProxy;
  private static String ownOrigin;

  @BeforeAll
  static void start() {
    hub = RunningHub.start(Map.of("ALLOWED_ORIGINS", "https://ops.example.com,http://localhost:8080"));
    behindProxy = RunningHub.start(Map.of("TRUSTED_PROXIES", "127.0.0.1/32"));
    ownOrigin = "http://127.0.0.1:" + hub.port;
  }

  @AfterAll
  static void stop() {
    hub.close();
    behindProxy.close();
  }

  @Test
  @DisplayName("a create from a foreign page is 403 FORBIDDEN_ORIGIN and stores nothing")
  void foreignCreate() {
    String channel = RunningHub.freshChannel("origin");

    HttpResponse<Buffer> response = create(hub.http.post("/incidents").putHeader("Origin", FOREIGN), channel);

    assertEquals(403, response.statusCode());
    assertEquals(error("FORBIDDEN_ORIGIN", "Pages from https://evil.example may not write to this hub or open its "
        + "WebSocket; the hub's own origin and ALLOWED_ORIGINS may"), response.bodyAsJsonObject());
    assertEquals(0, hub.get("/incidents?channel=" + channel).bodyAsJsonObject().getJsonObject("page").getLong("total"));
  }

  @Test
  @DisplayName("a status change from a foreign page is 403 FORBIDDEN_ORIGIN")
  void foreignStatusChange() {
    String id = hub.create(RunningHub.freshChannel("origin"), "Scanner offline").getString("id");

    HttpResponse<Buffer> response = RunningHub.await(hub.http.patch("/incidents/" + id).putHeader("Origin", FOREIGN)
        .sendJsonObject(new JsonObject().put("status", "resolved")));

    assertEquals(403, response.statusCode());
    assertEquals("open", hub.get("/incidents/" + id).bodyAsJsonObject().getJsonObject("data").getString("status"));
  }

  @ParameterizedTest(name = "Origin: {0}")
  @ValueSource(strings = {"https://ops.example.com", "https://ops.example.com:443", "HTTPS://OPS.example.com",
      "http://localhost:8080"})
  @DisplayName("an origin in ALLOWED_ORIGINS may write, however its default port and case are written")
  void allowedOrigin(String origin) {
    assertEquals(201, create(hub.http.post("/incidents").putHeader("Origin", origin), "general").statusCode());
  }

  @Test
  @DisplayName("the hub's own origin may write: the scheme, host and port of the Host it was sent to")
  void ownOriginWrites() {
    assertEquals(201, create(hub.http.post("/incidents").putHeader("Origin", ownOrigin), "general").statusCode());
    assertEquals(201, create(hub.http.post("/incidents").putHeader("Host", "hub.internal:8443")
        .putHeader("Origin", "http://hub.internal:8443"), "general").statusCode());
  }

  @ParameterizedTest(name = "Origin: {0}")
  @ValueSource(strings = {"null", "http://127.0.0.1:1", "https://127.0.0.1", "http://127.0.0.1",
      "https://ops.example.com/path", "http://localhost:8081", "not an origin"})
  @DisplayName("another port, another scheme, an opaque or malformed origin is foreign")
  void nearMisses(String origin) {
    HttpResponse<Buffer> response = create(hub.http.post("/incidents").putHeader("Origin", origin), "general");

    assertEquals(403, response.statusCode());
    assertEquals("FORBIDDEN_ORIGIN", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  @DisplayName("requests without Origin (curl, k6, services) are not affected")
  void noOrigin() {
    assertEquals(201, create(hub.http.post("/incidents"), "general").statusCode());
  }

  @Test
  @DisplayName("reads are not affected: a browser lets no foreign page see the answer")
  void readsPass() {
    HttpResponse<Buffer> response = RunningHub.await(hub.http.get("/incidents").putHeader("Origin", FOREIGN).send());

    assertEquals(200, response.statusCode());
  }

  @Test
  @DisplayName("a WebSocket upgrade from a foreign page is refused with 403 before it happens")
  void foreignUpgrade() {
    HttpResponse<Buffer> response = hub.refusedUpgrade("/ws", Map.of("Origin", FOREIGN));

    assertEquals(403, response.statusCode());
    assertEquals("FORBIDDEN_ORIGIN", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  @DisplayName("a WebSocket from the hub's own page or an allowed one opens")
  void allowedUpgrades() {
    for (String origin : new String[] {ownOrigin, "https://ops.example.com"}) {
      TestSocket socket = hub.connect(new WebSocketConnectOptions().setURI("/ws").addHeader("Origin", origin));

      assertEquals("subscribed", socket.next().getString("type"), origin);
      socket.close();
    }
  }

  @Test
  @DisplayName("behind a trusted proxy, the own origin's scheme is the proxy's X-Forwarded-Proto")
  void forwardedProto() {
    HttpRequest<Buffer> request = behindProxy.http.post("/incidents").putHeader("Host", "dash.example.com")
        .putHeader("X-Forwarded-Proto", "https").putHeader("Origin", "https://dash.example.com");

    assertEquals(201, create(request, "general").statusCode());
  }

  @Test
  @DisplayName("X-Forwarded-Proto from a peer that is not a trusted proxy is ignored")
  void untrustedForwardedProto() {
    HttpRequest<Buffer> request = hub.http.post("/incidents").putHeader("Host", "dash.example.com")
        .putHeader("X-Forwarded-Proto", "https").putHeader("Origin", "https://dash.example.com");

    assertEquals(403, create(request, "general").statusCode());
  }

  private static HttpResponse<Buffer> create(HttpRequest<Buffer> request, String channel) {
    return RunningHub.await(request.sendJsonObject(new JsonObject().put("title", "Conveyor 3 jammed")
        .put("severity", "high").put("channel", channel)));
  }
}
