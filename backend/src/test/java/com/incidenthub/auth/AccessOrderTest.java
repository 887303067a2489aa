package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Token (401), then Origin (403), then role (403), then rate (429), then validation and lookups. */
@DisplayName("The order of the access checks")
class AccessOrderTest {
  private static final String FOREIGN = "https://evil.example";
  private static final JsonObject INVALID = new JsonObject().put("severity", "urgent");
  private RunningHub hub;

  @BeforeEach
  void start() {
    hub = RunningHub.start(TestTokens.settings("WRITES_PER_SECOND", "1", "WRITE_BURST", "2"));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  @DisplayName("a request without a token is 401 even from a foreign page")
  void tokenBeforeOrigin() {
    assertEquals(401, status(hub.http.post("/incidents").putHeader("Origin", FOREIGN), INVALID));
  }

  @Test
  @DisplayName("a viewer's write from a foreign page is FORBIDDEN_ORIGIN, not FORBIDDEN")
  void originBeforeRole() {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TestTokens.VIEWER)
        .putHeader("Origin", FOREIGN).sendJsonObject(INVALID));

    assertEquals("FORBIDDEN_ORIGIN", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  @DisplayName("requests refused by the token, Origin or role checks take nothing from the bucket")
  void refusedRequestsAreFree() {
    for (int i = 0; i < 5; i++) {
      assertEquals(401, status(hub.http.post("/incidents").bearerTokenAuthentication("not-a-token"), INVALID));
      assertEquals(403, status(as(TestTokens.REPORTER).putHeader("Origin", FOREIGN), INVALID));
      assertEquals(403, status(hub.request(HttpMethod.PATCH, "/incidents/x", TestTokens.REPORTER), INVALID));
    }

    assertEquals(400, status(as(TestTokens.REPORTER), INVALID));
    assertEquals(400, status(as(TestTokens.REPORTER), INVALID));
    assertEquals(429, status(as(TestTokens.REPORTER), INVALID), "the burst of two went to the two invalid bodies");
  }

  @Test
  @DisplayName("the rate limit comes before validation: past the burst an invalid body is 429, not 400")
  void rateBeforeValidation() {
    status(as(TestTokens.REPORTER), INVALID);
    status(as(TestTokens.REPORTER), INVALID);

    assertEquals(429, status(as(TestTokens.REPORTER), INVALID));
  }

  private HttpRequest<Buffer> as(String token) {
    return hub.request(HttpMethod.POST, "/incidents", token);
  }

  private static int status(HttpRequest<Buffer> request, JsonObject body) {
    return RunningHub.await(request.sendJsonObject(body)).statusCode();
  }
}
