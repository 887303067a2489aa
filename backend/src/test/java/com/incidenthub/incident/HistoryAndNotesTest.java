package com.incidenthub.incident;

import static com.incidenthub.testing.RunningHub.data;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("GET /incidents/{id}/history and POST /incidents/{id}/notes")
class HistoryAndNotesTest extends SharedHubTest {

  @Test
  @DisplayName("a new incident's history is one created entry, at its creation, by anonymous")
  void createdEntry() {
    JsonObject incident = hub.create(RunningHub.freshChannel("history"), "Conveyor 3 jammed");

    assertEquals(new JsonArray().add(new JsonObject().put("type", "created").put("at", incident.getString("createdAt"))
        .put("actor", "anonymous")), history(incident));
  }

  @Test
  @DisplayName("status changes add entries with from and to, oldest first; setting the current status adds nothing")
  void statusEntries() {
    JsonObject incident = hub.create(RunningHub.freshChannel("status"), "Scanner offline");
    JsonObject acknowledged = hub.setStatus(incident, "acknowledged");
    hub.setStatus(incident, "acknowledged");
    JsonObject resolved = hub.setStatus(incident, "resolved");

    assertEquals(new JsonArray()
        .add(entry("created", incident.getString("createdAt")))
        .add(entry("status", acknowledged.getString("updatedAt")).put("from", "open").put("to", "acknowledged"))
        .add(entry("status", resolved.getString("updatedAt")).put("from", "acknowledged").put("to", "resolved")),
        history(incident));
  }

  @Test
  @DisplayName("an incident created resolved starts its history from resolved")
  void createdResolved() {
    JsonObject incident = data(hub.post("/incidents", new JsonObject().put("title", "Found already fixed")
        .put("severity", "low").put("status", "resolved").put("channel", RunningHub.freshChannel("fixed"))));
    JsonObject reopened = hub.setStatus(incident, "open");

    assertEquals(entry("status", reopened.getString("updatedAt")).put("from", "resolved").put("to", "open"),
        history(incident).getJsonObject(1));
  }

  @Test
  @DisplayName("a note answers 201 with its entry, text trimmed; the incident moves one version on and "
      + "incident.updated is pushed")
  void addsNote() {
    String channel = RunningHub.freshChannel("note");
    JsonObject incident = hub.create(channel, "Dock door 4 stuck");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    HttpResponse<Buffer> response = note(incident, "  Maintenance called, ETA 20 min.\n");

    JsonObject note = data(response);
    JsonObject event = Frames.withoutCursor(socket.next());
    socket.close();
    JsonObject updated = data(hub.get("/incidents/" + incident.getString("id")));
    assertAll(
        () -> assertEquals(201, response.statusCode()),
        () -> assertEquals(entry("note", note.getString("at")).put("text", "Maintenance called, ETA 20 min."), note),
        () -> assertEquals(2, updated.getInteger("version")),
        () -> assertEquals(note.getString("at"), updated.getString("updatedAt")),
        () -> assertTrue(!Instant.parse(note.getString("at")).isBefore(Instant.parse(incident.getString("createdAt")))),
        () -> assertEquals(new JsonObject().put("type", "incident.updated").put("incident", updated), event),
        () -> assertEquals(note, history(incident).getJsonObject(1)));
  }

  @Test
  @DisplayName("a note of 2000 characters after trimming is accepted")
  void longestNote() {
    JsonObject incident = hub.create(RunningHub.freshChannel("long"), "t");
    String text = "n".repeat(2000);

    HttpResponse<Buffer> response = note(incident, "  " + text + "  ");

    assertEquals(201, response.statusCode());
    assertEquals(text, data(response).getString("text"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      missing               | {}                           | text is required
      empty                 | {"text": ""}                 | text must not be empty
      only spaces           | {"text": "   "}              | text must not be empty
      not a string          | {"text": 42}                 | text must be a string
      """)
  @DisplayName("a note whose text breaks the rule answers 400 naming text, and changes nothing")
  void refusesBadText(String why, String body, String message) {
    JsonObject incident = hub.create(RunningHub.freshChannel("bad"), "t");

    HttpResponse<Buffer> response = RunningHub.await(hub.http.post("/incidents/" + incident.getString("id") + "/notes")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));

    assertEquals(400, response.statusCode());
    assertEquals(ErrorBodies.invalidField("text", message), response.bodyAsJsonObject());
    assertEquals(1, data(hub.get("/incidents/" + incident.getString("id"))).getInteger("version"));
  }

  @Test
  @DisplayName("a note over 2000 characters answers 400 naming text")
  void refusesLongNote() {
    JsonObject incident = hub.create(RunningHub.freshChannel("toolong"), "t");

    HttpResponse<Buffer> response = note(incident, "n".repeat(2001));

    assertEquals(ErrorBodies.invalidField("text", "text must be at most 2000 characters"), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("history and notes of an unknown incident answer 404 NOT_FOUND")
  void unknownIncident() {
    HttpResponse<Buffer> history = hub.get("/incidents/no-such-id/history");
    HttpResponse<Buffer> note = hub.post("/incidents/no-such-id/notes", new JsonObject().put("text", "hello"));

    JsonObject expected = new JsonObject().put("code", "NOT_FOUND").put("message", "No incident with id 'no-such-id'")
        .put("details", new JsonArray());
    assertAll(
        () -> assertEquals(List.of(404, 404), List.of(history.statusCode(), note.statusCode())),
        () -> assertEquals(expected, history.bodyAsJsonObject().getJsonObject("error")),
        () -> assertEquals(expected, note.bodyAsJsonObject().getJsonObject("error")));
  }

  private static JsonObject entry(String type, String at) {
    return new JsonObject().put("type", type).put("at", at).put("actor", "anonymous");
  }

  private static HttpResponse<Buffer> note(JsonObject incident, String text) {
    return hub.post("/incidents/" + incident.getString("id") + "/notes", new JsonObject().put("text", text));
  }

  private static JsonArray history(JsonObject incident) {
    HttpResponse<Buffer> response = hub.get("/incidents/" + incident.getString("id") + "/history");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject().getJsonArray("data");
  }
}
