package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.http.JsonBody;
import com.incidenthub.testing.ErrorBodies;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.SharedHubTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("POST /incidents")
class CreateIncidentTest extends SharedHubTest {

  @Test
  @DisplayName("stores the incident and answers 201 with it, its Location, status open and version 1")
  void createsWithDefaults() {
    Instant before = Instant.now().minusMillis(1);
    HttpResponse<Buffer> response = hub.post("/incidents", new JsonObject()
        .put("title", "Conveyor 3 jammed").put("severity", "high").put("channel", "warehouse-madrid"));

    assertEquals(201, response.statusCode());
    JsonObject incident = response.bodyAsJsonObject().getJsonObject("data");
    assertEquals("/incidents/" + incident.getString("id"), response.getHeader("Location"));
    assertEquals("warehouse-madrid", incident.getString("channel"));
    assertEquals("Conveyor 3 jammed", incident.getString("title"));
    assertEquals("", incident.getString("message"));
    assertEquals("high", incident.getString("severity"));
    assertEquals("open", incident.getString("status"));
    assertEquals(1, incident.getInteger("version"));
    assertTrue(incident.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        incident.getString("createdAt"));
    Instant createdAt = Instant.parse(incident.getString("createdAt"));
    assertTrue(!createdAt.isBefore(before) && createdAt.isBefore(Instant.now().plusMillis(1)), createdAt.toString());
    assertEquals(incident.getString("createdAt"), incident.getString("updatedAt"));
    assertEquals(incident, hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  @DisplayName("puts an incident without a channel into 'general'")
  void defaultsChannel() {
    JsonObject incident = hub.post("/incidents", new JsonObject().put("title", "t").put("severity", "low"))
        .bodyAsJsonObject().getJsonObject("data");

    assertEquals("general", incident.getString("channel"));
  }

  @Test
  @DisplayName("keeps a given message and initial status")
  void keepsMessageAndStatus() {
    JsonObject incident = hub.post("/incidents", new JsonObject().put("title", "t").put("severity", "low")
            .put("message", "Belt stopped at 10:02").put("status", "acknowledged"))
        .bodyAsJsonObject().getJsonObject("data");

    assertEquals("Belt stopped at 10:02", incident.getString("message"));
    assertEquals("acknowledged", incident.getString("status"));
  }

  @Test
  @DisplayName("trims spaces, tabs and line breaks off the title, and counts its 200 characters after trimming")
  void trimsTitle() {
    String title = "x".repeat(200);
    HttpResponse<Buffer> response = hub.post("/incidents",
        new JsonObject().put("title", " \n " + title + "\t \r\n").put("severity", "low"));

    assertEquals(201, response.statusCode());
    assertEquals(title, response.bodyAsJsonObject().getJsonObject("data").getString("title"));
  }

  @Test
  @DisplayName("stores text exactly as sent: line breaks and tabs in the message, any script and emoji anywhere")
  void storesTextExactly() {
    String title = "F\u00f6rderband 3 blockiert \u2014 \u8fd0\u8f93\u5e26 \ud83d\ude9a";
    String message = "Line one\nline two\r\n\tindented \u00e9\u00e8 \ud83d\udce6";
    HttpResponse<Buffer> response = hub.post("/incidents", new JsonObject().put("title", title).put("message", message)
        .put("severity", "low"));

    JsonObject created = response.bodyAsJsonObject().getJsonObject("data");
    assertEquals(201, response.statusCode(), response.bodyAsString());
    assertEquals(title, created.getString("title"));
    assertEquals(message, created.getString("message"));
    assertEquals(created, hub.get("/incidents/" + created.getString("id")).bodyAsJsonObject().getJsonObject("data"));
  }

  @Test
  @DisplayName("accepts the longest title, message and channel name")
  void acceptsLimits() {
    HttpResponse<Buffer> response = hub.post("/incidents", new JsonObject()
        .put("title", "t".repeat(200)).put("message", "m".repeat(2000)).put("channel", "c".repeat(64))
        .put("severity", "medium"));

    assertEquals(201, response.statusCode(), response.bodyAsString());
  }

  private static final String TITLE_RULE = "title must be one line of text, without control characters";

  static Stream<Arguments> brokenRules() {
    return Stream.of(
        Arguments.of("missing title", new JsonObject().put("severity", "low"), "title", "title is required"),
        Arguments.of("missing severity", new JsonObject().put("title", "t"), "severity", "severity is required"),
        Arguments.of("title not a string", new JsonObject().put("title", 5).put("severity", "low"),
            "title", "title must be a string"),
        Arguments.of("operator object as title", new JsonObject().put("title", new JsonObject().put("$gt", ""))
            .put("severity", "low"), "title", "title must be a string"),
        Arguments.of("blank title", new JsonObject().put("title", "   ").put("severity", "low"),
            "title", "title must not be empty"),
        Arguments.of("title too long", new JsonObject().put("title", "t".repeat(201)).put("severity", "low"),
            "title", "title must be at most 200 characters"),
        Arguments.of("message not a string", new JsonObject().put("title", "t").put("severity", "low")
            .put("message", new JsonArray()), "message", "message must be a string"),
        Arguments.of("message too long", new JsonObject().put("title", "t").put("severity", "low")
            .put("message", "m".repeat(2001)), "message", "message must be at most 2000 characters"),
        Arguments.of("severity not in the enum", new JsonObject().put("title", "t").put("severity", "urgent"),
            "severity", "severity must be one of low, medium, high"),
        Arguments.of("severity not a string", new JsonObject().put("title", "t").put("severity", 3),
            "severity", "severity must be a string"),
        Arguments.of("status not in the enum", new JsonObject().put("title", "t").put("severity", "low")
            .put("status", "closed"), "status", "status must be one of open, acknowledged, resolved"),
        Arguments.of("channel with capitals", new JsonObject().put("title", "t").put("severity", "low")
            .put("channel", "Madrid"), "channel", "channel must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
            + "starting with a letter or digit"),
        Arguments.of("channel starting with a dot", new JsonObject().put("title", "t").put("severity", "low")
            .put("channel", ".hidden"), "channel", "channel must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
            + "starting with a letter or digit"),
        Arguments.of("channel too long", new JsonObject().put("title", "t").put("severity", "low")
            .put("channel", "c".repeat(65)), "channel", "channel must be 1-64 characters of a-z, 0-9, '.', '_' or "
            + "'-', starting with a letter or digit"),
        Arguments.of("empty channel", new JsonObject().put("title", "t").put("severity", "low").put("channel", ""),
            "channel", "channel must be 1-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"),
        Arguments.of("channel with a final newline, which a regex $ would let through", new JsonObject()
            .put("title", "t").put("severity", "low").put("channel", "abc\n"), "channel", "channel must be 1-64 "
            + "characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit"),
        Arguments.of("severity with a final newline", new JsonObject().put("title", "t").put("severity", "low\n"),
            "severity", "severity must be one of low, medium, high"),
        Arguments.of("title with a NUL, which trimming must not remove", new JsonObject()
            .put("title", "\u0000Conveyor").put("severity", "low"), "title", TITLE_RULE),
        Arguments.of("title with a line break", new JsonObject().put("title", "Conveyor\njammed")
            .put("severity", "low"), "title", TITLE_RULE),
        Arguments.of("title with a C1 control character", new JsonObject().put("title", "Conveyor\u0085")
            .put("severity", "low"), "title", TITLE_RULE),
        Arguments.of("message with a NUL", new JsonObject().put("title", "t").put("severity", "low")
            .put("message", "Belt\u0000stopped"), "message",
            "message must be text without control characters other than tabs and line breaks"),
        Arguments.of("message with an escape character", new JsonObject().put("title", "t").put("severity", "low")
            .put("message", "\u001b[31mred"), "message",
            "message must be text without control characters other than tabs and line breaks"),
        Arguments.of("unknown field", new JsonObject().put("title", "t").put("severity", "low").put("owner", "me"),
            "owner", "owner is not a known field; allowed: title, message, channel, severity, status, dedupKey"),
        Arguments.of("server-owned field", new JsonObject().put("title", "t").put("severity", "low").put("version", 9),
            "version", "version is not a known field; allowed: title, message, channel, severity, status, dedupKey"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  @DisplayName("refuses a body that breaks a schema rule with 400 naming the field and the rule")
  void refusesBrokenRule(String rule, JsonObject body, String field, String message) {
    HttpResponse<Buffer> response = hub.post("/incidents", body);

    assertEquals(400, response.statusCode());
    assertEquals(ErrorBodies.invalidField(field, message), response.bodyAsJsonObject());
  }

  @Test
  @DisplayName("lists every broken rule at once")
  void listsEveryBrokenRule() {
    HttpResponse<Buffer> response = hub.post("/incidents", new JsonObject().put("severity", "x").put("extra", 1));

    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("3 fields are invalid", error.getString("message"));
    assertEquals(3, error.getJsonArray("details").size(), error.encode());
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(strings = {"[]", "\"incident\"", "42", "null", "true"})
  @DisplayName("refuses valid JSON that is not an object with 400 VALIDATION_FAILED")
  void refusesNonObject(String body) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json", Buffer.buffer(body));

    assertEquals(400, response.statusCode());
    assertEquals(new JsonObject().put("code", "VALIDATION_FAILED").put("message", "The body must be a JSON object")
            .put("details", new JsonArray().add(new JsonObject().put("field", "body")
                .put("message", "The body must be a JSON object"))),
        response.bodyAsJsonObject().getJsonObject("error"));
  }

  @Test
  @DisplayName("refuses an empty body with 400 VALIDATION_FAILED")
  void refusesEmptyBody() {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json", Buffer.buffer());

    assertEquals(400, response.statusCode());
    assertEquals("VALIDATION_FAILED", ErrorBodies.errorCode(response));
    assertEquals("The body is empty; send a JSON object", response.bodyAsJsonObject().getJsonObject("error")
        .getString("message"));
  }

  @Test
  @DisplayName("refuses malformed JSON with 400 MALFORMED_JSON, saying where the parser stopped")
  void refusesMalformedJson() {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json",
        Buffer.buffer("{\"title\": \"t\","));

    assertEquals(400, response.statusCode());
    assertEquals(new JsonObject().put("code", "MALFORMED_JSON")
        .put("message", "The body is not valid JSON: Unexpected end-of-input within/between Object entries "
            + "(line 1, column 15)")
        .put("details", new JsonArray()), response.bodyAsJsonObject().getJsonObject("error"));
  }

  @ParameterizedTest(name = "Content-Type {0}")
  @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp", ""})
  @DisplayName("refuses a body that is not declared as application/json with 415")
  void refusesOtherMediaTypes(String contentType) {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", contentType,
        new JsonObject().put("title", "t").put("severity", "low").toBuffer());

    assertEquals(415, response.statusCode());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", ErrorBodies.errorCode(response));
  }

  @Test
  @DisplayName("accepts application/json with a charset parameter")
  void acceptsCharset() {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json; charset=utf-8",
        new JsonObject().put("title", "t").put("severity", "low").toBuffer());

    assertEquals(201, response.statusCode());
  }

  @Test
  @DisplayName("accepts a body of exactly 64 KiB")
  void acceptsBodyAtLimit() {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json",
        paddedBody(JsonBody.LIMIT_BYTES));

    assertEquals(201, response.statusCode(), response.bodyAsString());
  }

  @Test
  @DisplayName("refuses a declared body of 64 KiB + 1 byte with 413")
  void refusesDeclaredOversizedBody() {
    HttpResponse<Buffer> response = send(HttpMethod.POST, "/incidents", "application/json",
        paddedBody(JsonBody.LIMIT_BYTES + 1));

    assertEquals(413, response.statusCode());
    assertEquals(new JsonObject().put("code", "PAYLOAD_TOO_LARGE").put("message", "The body is larger than 65536 bytes")
        .put("details", new JsonArray()), response.bodyAsJsonObject().getJsonObject("error"));
  }

  @Test
  @DisplayName("refuses a chunked body of 64 KiB + 1 byte with 413")
  void refusesChunkedOversizedBody() throws Exception {
    Buffer body = paddedBody(JsonBody.LIMIT_BYTES + 1);
    NetClient tcp = hub.vertx.createNetClient();
    NetSocket connection = RunningHub.await(tcp.connect(hub.port, "127.0.0.1"));
    CompletableFuture<String> answer = new CompletableFuture<>();
    Buffer received = Buffer.buffer();
    connection.handler(bytes -> {
      received.appendBuffer(bytes);
      if (received.toString().contains("}}")) {
        answer.complete(received.toString());
      }
    });

    // Written by hand so that no length is declared: the limit must hold for a streamed body too.
    Buffer request = Buffer.buffer("POST /incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n");
    for (int offset = 0; offset < body.length(); offset += 16 * 1024) {
      Buffer chunk = body.getBuffer(offset, Math.min(body.length(), offset + 16 * 1024));
      request.appendString(Integer.toHexString(chunk.length()) + "\r\n").appendBuffer(chunk).appendString("\r\n");
    }
    RunningHub.await(connection.write(request.appendString("0\r\n\r\n")));
    String response = answer.get(10, TimeUnit.SECONDS);

    assertTrue(response.startsWith("HTTP/1.1 413 "), response);
    assertTrue(response.contains("{\"error\":{\"code\":\"PAYLOAD_TOO_LARGE\""), response);
    RunningHub.await(tcp.close());
  }

  @Test
  @DisplayName("stores the largest accepted body intact")
  void largestBodyIsStoredIntact() {
    Buffer body = paddedBody(JsonBody.LIMIT_BYTES);
    String id = send(HttpMethod.POST, "/incidents", "application/json", body).bodyAsJsonObject()
        .getJsonObject("data").getString("id");

    assertEquals(body.toJsonObject().getString("message").length(),
        hub.get("/incidents/" + id).bodyAsJsonObject().getJsonObject("data").getString("message").length());
  }

  /** A valid body of exactly {@code size} bytes: the title is padded with spaces, which trimming removes. */
  private static Buffer paddedBody(int size) {
    String prefix = "{\"severity\":\"low\",\"message\":\"" + "m".repeat(2000) + "\",\"title\":\"t";
    String suffix = "\"}";
    return Buffer.buffer(prefix + " ".repeat(size - prefix.length() - suffix.length()) + suffix);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String uri, String contentType, Buffer body) {
    var request = hub.request(method, uri);
    if (!contentType.isEmpty()) {
      request.putHeader("Content-Type", contentType);
    }
    return RunningHub.await(request.sendBuffer(body));
  }
}
