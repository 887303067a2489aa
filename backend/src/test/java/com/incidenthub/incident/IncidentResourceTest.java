package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("GET and PATCH /incidents/{id}")
class IncidentResourceTest extends SharedHubTest {

  @Test
  @DisplayName("GET answers the incident with its version as ETag")
  void getsWithEtag() {
    JsonObject incident = hub.create(RunningHub.freshChannel("get"), "Dock door stuck");

    HttpResponse<Buffer> response = hub.get("/incidents/" + incident.getString("id"));

    assertEquals(200, response.statusCode());
    assertEquals("\"1\"", response.getHeader("ETag"));
    assertEquals(new JsonObject().put("data", incident), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("GET of an unknown id answers 404 NOT_FOUND")
  void getUnknown() {
    HttpResponse<Buffer> response = hub.get("/incidents/no-such-id");

    assertEquals(404, response.statusCode());
    assertEquals(new JsonObject().put("code", "NOT_FOUND").put("message", "No incident with id 'no-such-id'")
        .put("details", new JsonArray()), response.bodyAsJsonObject().getJsonObject("error"));
  }

  @Test
  @DisplayName("PATCH changes the status, bumps the version and updatedAt, and answers the new ETag")
  void changesStatus() {
    JsonObject incident = hub.create(RunningHub.freshChannel("patch"), "Scanner offline");

    HttpResponse<Buffer> response = patch(incident, "acknowledged", null);

    assertEquals(200, response.statusCode());
    assertEquals("\"2\"", response.getHeader("ETag"));
    JsonObject changed = response.bodyAsJsonObject().getJsonObject("data");
    assertEquals("acknowledged", changed.getString("status"));
    assertEquals(2, changed.getInteger("version"));
    assertEquals(incident.getString("createdAt"), changed.getString("createdAt"));
    assertTrue(!Instant.parse(changed.getString("updatedAt")).isBefore(Instant.parse(incident.getString("updatedAt"))));
    assertEquals(changed, hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  @DisplayName("PATCH allows any status after any other, reopening included")
  void reopens() {
    JsonObject incident = hub.create(RunningHub.freshChannel("reopen"), "Forklift battery low");

    assertEquals("resolved", patch(incident, "resolved", null).bodyAsJsonObject().getJsonObject("data")
        .getString("status"));
    JsonObject reopened = patch(incident, "open", null).bodyAsJsonObject().getJsonObject("data");

    assertEquals("open", reopened.getString("status"));
    assertEquals(3, reopened.getInteger("version"));
  }

  @Test
  @DisplayName("PATCH to the current status answers 200 and changes nothing, and sends no event")
  void sameStatusChangesNothing() {
    String channel = RunningHub.freshChannel("same");
    JsonObject incident = hub.create(channel, "Label printer jam");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    HttpResponse<Buffer> response = patch(incident, "open", "\"1\"");
    patch(incident, "resolved", null);

    assertEquals(200, response.statusCode());
    assertEquals("\"1\"", response.getHeader("ETag"));
    assertEquals(incident, response.bodyAsJsonObject().getJsonObject("data"));
    JsonObject firstEvent = socket.next();
    assertEquals("incident.updated", firstEvent.getString("type"));
    assertEquals(2, firstEvent.getJsonObject("incident").getInteger("version"));
    socket.close();
  }

  @Test
  @DisplayName("PATCH with the current version in If-Match applies")
  void matchingVersionApplies() {
    JsonObject incident = hub.create(RunningHub.freshChannel("match"), "Truck late");

    HttpResponse<Buffer> response = patch(incident, "acknowledged", "\"1\"");

    assertEquals(200, response.statusCode());
    assertEquals("\"2\"", response.getHeader("ETag"));
  }

  @Test
  @DisplayName("PATCH with a stale If-Match answers 412 and leaves the newer change in place")
  void staleVersionConflicts() {
    JsonObject incident = hub.create(RunningHub.freshChannel("stale"), "Pallet dropped");
    patch(incident, "acknowledged", "\"1\"");

    HttpResponse<Buffer> response = patch(incident, "resolved", "\"1\"");

    assertEquals(412, response.statusCode());
    assertEquals(new JsonObject().put("code", "VERSION_CONFLICT")
        .put("message", "Incident '" + incident.getString("id") + "' is at version 2, not 1; reload it and try again")
        .put("details", new JsonArray()), response.bodyAsJsonObject().getJsonObject("error"));
    assertEquals("acknowledged", hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject()
        .getJsonObject("data").getString("status"));
  }

  @ParameterizedTest(name = "If-Match: {0}")
  @ValueSource(strings = {"\"abc\"", "\"+1\"", "\"01\"", "\"1 \"", "\"0\"", "\"9999999999\""})
  @DisplayName("PATCH with an If-Match that is not a version as the API writes it answers 400 and changes nothing")
  void badIfMatch(String ifMatch) {
    JsonObject incident = hub.create(RunningHub.freshChannel("ifmatch"), "t");

    HttpResponse<Buffer> response = patch(incident, "resolved", ifMatch);

    assertEquals(400, response.statusCode());
    assertEquals("If-Match", response.bodyAsJsonObject().getJsonObject("error").getJsonArray("details")
        .getJsonObject(0).getString("field"));
    assertEquals(incident, hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  @DisplayName("PATCH of an unknown id answers 404")
  void patchUnknown() {
    HttpResponse<Buffer> response = hub.patch("/incidents/no-such-id", new JsonObject().put("status", "resolved"));

    assertEquals(404, response.statusCode());
    assertEquals("NOT_FOUND", ErrorBodies.errorCode(response));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{}|status|status is required",
      "{\"status\":\"closed\"}|status|status must be one of open, acknowledged, resolved",
      "{\"status\":1}|status|status must be a string",
      "{\"status\":\"open\",\"title\":\"x\"}|title|title is not a known field; allowed: status"})
  @DisplayName("PATCH refuses a body that breaks the status-change schema")
  void refusesBadStatusChange(String body, String field, String message) {
    JsonObject incident = hub.create(RunningHub.freshChannel("bad-patch"), "t");

    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/" + incident.getString("id"))
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));

    assertEquals(400, response.statusCode());
    assertEquals(new JsonArray().add(new JsonObject().put("field", field).put("message", message)),
        response.bodyAsJsonObject().getJsonObject("error").getJsonArray("details"));
  }

  @Test
  @DisplayName("PATCH without application/json answers 415")
  void patchNeedsJson() {
    JsonObject incident = hub.create(RunningHub.freshChannel("patch-415"), "t");

    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.PATCH, "/incidents/" + incident.getString("id"))
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("{\"status\":\"open\"}")));

    assertEquals(415, response.statusCode());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", ErrorBodies.errorCode(response));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "PUT, /incidents/some-id, 'GET, PATCH'",
      "DELETE, /incidents/some-id, 'GET, PATCH'",
      "PATCH, /incidents, 'GET, POST'",
      "DELETE, /incidents, 'GET, POST'",
      "POST, /channels, GET"})
  @DisplayName("a method a resource does not support answers 405 with Allow")
  void methodNotAllowed(String method, String path, String allowed) {
    HttpResponse<Buffer> response = RunningHub.await(hub.request(HttpMethod.valueOf(method), path).send());

    assertEquals(405, response.statusCode());
    assertEquals(allowed, response.getHeader("Allow"));
    assertEquals(new JsonObject().put("code", "METHOD_NOT_ALLOWED")
            .put("message", method + " is not allowed on " + path + "; allowed: " + allowed).put("details", new JsonArray()),
        response.bodyAsJsonObject().getJsonObject("error"));
  }

  @Test
  @DisplayName("an unknown path answers 404 in the error shape, not an HTML page")
  void unknownPath() {
    HttpResponse<Buffer> response = hub.get("/nothing/here");

    assertEquals(404, response.statusCode());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals(new JsonObject().put("code", "NOT_FOUND").put("message", "Nothing at GET /nothing/here")
        .put("details", new JsonArray()), response.bodyAsJsonObject().getJsonObject("error"));
  }

  @Test
  @DisplayName("the API answers under /api as well, for a dashboard on the same origin")
  void servedUnderApi() {
    JsonObject incident = hub.create(RunningHub.freshChannel("api"), "t");

    assertEquals(incident, hub.get("/api/incidents/" + incident.getString("id")).bodyAsJsonObject()
        .getJsonObject("data"));
    assertEquals(404, hub.get("/api/nothing").statusCode());
  }

  private static HttpResponse<Buffer> patch(JsonObject incident, String status, String ifMatch) {
    var request = hub.request(HttpMethod.PATCH, "/incidents/" + incident.getString("id"));
    if (ifMatch != null) {
      request.putHeader("If-Match", ifMatch);
    }
    return RunningHub.await(request.sendJsonObject(new JsonObject().put("status", status)));
  }
}
