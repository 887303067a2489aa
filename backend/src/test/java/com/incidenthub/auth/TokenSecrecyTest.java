package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("No token text in the logs")
class TokenSecrecyTest {
  private static final String UNKNOWN = "guessed-5e2b8c1d9f04a7e3";

  @Test
  @DisplayName("whatever a client does with tokens, in headers or in the socket's query, no log line holds one")
  void noTokenInAnyLogLine() {
    String text;
    try (CapturedLog log = CapturedLog.everything();
         RunningHub hub = RunningHub.start(TestTokens.settings("MAX_MESSAGES_PER_SECOND", "1",
             "MAX_SOCKETS_PER_CLIENT", "1"))) {
      String id = RunningHub.await(hub.request(HttpMethod.POST, "/incidents", TestTokens.REPORTER)
          .sendJsonObject(new JsonObject().put("title", "Dock door 4 stuck").put("severity", "high")))
          .bodyAsJsonObject().getJsonObject("data").getString("id");
      RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/" + id, TestTokens.OPERATOR)
          .sendJsonObject(new JsonObject().put("status", "resolved")));
      RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/" + id, TestTokens.VIEWER)
          .sendJsonObject(new JsonObject().put("status", "open")));
      RunningHub.await(hub.request(HttpMethod.GET, "/incidents?access_token=" + TestTokens.ADMIN, UNKNOWN).send());
      RunningHub.await(hub.http.get("/me").putHeader("Authorization", "Basic " + TestTokens.OPERATOR).send());
      hub.refusedUpgrade("/ws?access_token=" + UNKNOWN, Map.of());
      hub.refusedUpgrade("/ws?channels=Bad&access_token=" + TestTokens.VIEWER, Map.of());

      TestSocket socket = hub.connect(new WebSocketConnectOptions()
          .setURI("/ws?channels=general&access_token=" + TestTokens.VIEWER));
      hub.refusedUpgrade("/ws?access_token=" + TestTokens.VIEWER, Map.of());
      socket.flood(new JsonObject().put("type", "ping"), 5);
      socket.awaitClose();
      text = log.text();
    }

    assertTrue(text.contains("POST /incidents 201"), "the access log was captured:\n" + text);
    assertTrue(text.contains("WebSocket connected"), "the socket's lines were captured:\n" + text);
    assertTrue(text.contains("faster than its rate allows"), "the rate close was captured:\n" + text);
    for (String token : List.of(TestTokens.VIEWER, TestTokens.REPORTER, TestTokens.OPERATOR, TestTokens.ADMIN, UNKNOWN)) {
      assertFalse(text.contains(token), "a log line holds the token " + token + ":\n" + text);
    }
    assertEquals(false, text.contains("access_token"), "a log line holds a query:\n" + text);
  }
}
