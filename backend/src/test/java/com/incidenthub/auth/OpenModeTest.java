package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Open mode: no tokens configured")
class OpenModeTest extends SharedHubTest {

  @Test
  @DisplayName("every route works without a token, as before tokens existed")
  void noTokenNeeded() {
    String id = hub.create(RunningHub.freshChannel("open"), "Conveyor 3 jammed").getString("id");

    assertEquals(200, hub.get("/incidents").statusCode());
    assertEquals(200, hub.patch("/incidents/" + id, new JsonObject().put("status", "resolved")).statusCode());
    TestSocket socket = hub.connect("/ws");
    assertEquals("subscribed", socket.next().getString("type"));
    socket.close();
  }

  @Test
  @DisplayName("GET /me is the anonymous caller, who may do everything")
  void me() {
    assertEquals(new JsonObject().put("data", new JsonObject().put("name", "anonymous").put("role", "admin")),
        hub.get("/me").bodyAsJsonObject());
  }

  @Test
  @DisplayName("a token sent anyway changes nothing: there are none to know it")
  void tokenIgnored() {
    assertEquals("anonymous", hub.get("/me").bodyAsJsonObject().getJsonObject("data").getString("name"));
    assertEquals(200, RunningHub.await(hub.http.get("/me").bearerTokenAuthentication("anything").send()).statusCode());
  }
}
