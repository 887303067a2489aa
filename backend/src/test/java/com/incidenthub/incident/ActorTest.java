package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Without tokens every change is anonymous; with them, the token's name (see the auth tests). */
@DisplayName("createdBy and updatedBy")
class ActorTest extends SharedHubTest {

  @Test
  @DisplayName("an incident records who created it and who changed it last")
  void recorded() {
    JsonObject created = hub.create(RunningHub.freshChannel("actor"), "Scanner offline");
    JsonObject changed = hub.patch("/incidents/" + created.getString("id"), new JsonObject().put("status", "resolved"))
        .bodyAsJsonObject().getJsonObject("data");

    assertEquals("anonymous", created.getString("createdBy"));
    assertEquals("anonymous", created.getString("updatedBy"));
    assertEquals("anonymous", changed.getString("updatedBy"));
    assertEquals(changed, hub.get("/incidents/" + created.getString("id")).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  @DisplayName("socket events carry them like every other field")
  void onTheSocket() {
    String channel = RunningHub.freshChannel("actor");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    JsonObject created = hub.create(channel, "Dock door 4 stuck");

    assertEquals(created, socket.next().getJsonObject("incident"));
    socket.close();
  }

  @Test
  @DisplayName("an incident stored before actors were recorded reads as created and updated by anonymous")
  void storedWithoutActors() {
    String id = "5b8f0e4c-1d2a-4c3b-9e8f-7a6b5c4d3e2f";
    hub.insertDirectly(new JsonObject().put("_id", id).put("channel", "general").put("title", "Older incident")
        .put("message", "").put("severity", "low").put("status", "open")
        .put("createdAt", new JsonObject().put("$date", "2026-01-05T10:00:00.000Z"))
        .put("updatedAt", new JsonObject().put("$date", "2026-01-05T10:00:00.000Z")).put("version", 1));

    JsonObject incident = hub.get("/incidents/" + id).bodyAsJsonObject().getJsonObject("data");

    assertEquals("anonymous", incident.getString("createdBy"));
    assertEquals("anonymous", incident.getString("updatedBy"));
  }
}
