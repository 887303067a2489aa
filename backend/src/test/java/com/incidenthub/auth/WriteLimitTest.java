package com.incidenthub.auth;

import static com.incidenthub.auth.AuthenticationTest.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.Awaits;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Write rate limit: a token bucket per principal")
class WriteLimitTest {
  private RunningHub hub;

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  @DisplayName("past the burst a write is 429 RATE_LIMITED with Retry-After in whole seconds")
  void burstThenRefused() {
    hub = RunningHub.start(TestTokens.settings("WRITES_PER_SECOND", "1", "WRITE_BURST", "3"));

    for (int i = 1; i <= 3; i++) {
      assertEquals(201, create(TestTokens.REPORTER).statusCode(), "write " + i);
    }
    HttpResponse<Buffer> refused = create(TestTokens.REPORTER);

    assertEquals(429, refused.statusCode());
    assertEquals("1", refused.getHeader("Retry-After"));
    assertEquals(error("RATE_LIMITED", "Too many writes: at most 1 per second, in bursts of up to 3; retry in 1 s"),
        refused.bodyAsJsonObject());
  }

  @Test
  @DisplayName("status changes are writes too, and reads are never limited")
  void patchCountsReadsDoNot() {
    hub = RunningHub.start(TestTokens.settings("WRITES_PER_SECOND", "1", "WRITE_BURST", "2"));
    String id = create(TestTokens.OPERATOR).bodyAsJsonObject().getJsonObject("data").getString("id");

    assertEquals(200, patch(id, "acknowledged").statusCode());
    assertEquals(429, patch(id, "resolved").statusCode());
    for (int i = 0; i < 5; i++) {
      assertEquals(200, send(HttpMethod.GET, "/incidents/" + id, TestTokens.OPERATOR).statusCode());
    }
  }

  @Test
  @DisplayName("another principal keeps its own bucket")
  void otherPrincipalsUnaffected() {
    hub = RunningHub.start(TestTokens.settings("WRITES_PER_SECOND", "1", "WRITE_BURST", "1"));

    assertEquals(201, create(TestTokens.REPORTER).statusCode());
    assertEquals(429, create(TestTokens.REPORTER).statusCode());
    assertEquals(201, create(TestTokens.OPERATOR).statusCode());
    assertEquals(201, create(TestTokens.ADMIN).statusCode());
  }

  @Test
  @DisplayName("the bucket refills at WRITES_PER_SECOND")
  void refills() {
    hub = RunningHub.start(TestTokens.settings("WRITES_PER_SECOND", "20", "WRITE_BURST", "1"));
    assertEquals(201, create(TestTokens.REPORTER).statusCode());
    long refusedAt = System.nanoTime();
    assertEquals(429, create(TestTokens.REPORTER).statusCode());

    Awaits.until("a write to be accepted again", () -> create(TestTokens.REPORTER).statusCode() == 201 ? true : null);

    Duration waited = Duration.ofNanos(System.nanoTime() - refusedAt);
    assertTrue(waited.toMillis() >= 30, "a token comes back after 50 ms, not at once: " + waited);
  }

  @Test
  @DisplayName("in open mode each client address is a principal, taken from X-Forwarded-For of a trusted proxy")
  void openModeByForwardedAddress() {
    hub = RunningHub.start(Map.of("WRITES_PER_SECOND", "1", "WRITE_BURST", "1", "TRUSTED_PROXIES", "127.0.0.1/32"));

    assertEquals(201, createFrom("203.0.113.7").statusCode());
    assertEquals(429, createFrom("203.0.113.7").statusCode());
    assertEquals(429, createFrom("198.51.100.1, 203.0.113.7").statusCode(), "what the client put further left is ignored");
    assertEquals(201, createFrom("203.0.113.8").statusCode());
  }

  @Test
  @DisplayName("X-Forwarded-For from a peer that is not a trusted proxy is ignored: the peer is the principal")
  void untrustedForwardedFor() {
    hub = RunningHub.start(Map.of("WRITES_PER_SECOND", "1", "WRITE_BURST", "1"));

    assertEquals(201, createFrom("203.0.113.7").statusCode());
    assertEquals(429, createFrom("203.0.113.8").statusCode());
  }

  private HttpResponse<Buffer> create(String token) {
    return RunningHub.await(hub.request(HttpMethod.POST, "/incidents", token).sendJsonObject(newIncident()));
  }

  private HttpResponse<Buffer> createFrom(String forwardedFor) {
    HttpRequest<Buffer> request = hub.http.post("/incidents").putHeader("X-Forwarded-For", forwardedFor);
    return RunningHub.await(request.sendJsonObject(newIncident()));
  }

  private HttpResponse<Buffer> patch(String id, String status) {
    return RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/" + id, TestTokens.OPERATOR)
        .sendJsonObject(new JsonObject().put("status", status)));
  }

  private HttpResponse<Buffer> send(HttpMethod method, String uri, String token) {
    return RunningHub.await(hub.request(method, uri, token).send());
  }

  private static JsonObject newIncident() {
    return new JsonObject().put("title", "Forklift battery low").put("severity", "low");
  }
}
