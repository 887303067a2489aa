package com.incidenthub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.http.RequestId;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.testing.HubProcess;
import com.incidenthub.testing.RunningHub;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What the service prints")
class LogOutputTest {
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  @DisplayName("with LOG_FORMAT=json every line on stdout and stderr, from start-up to shutdown, is one JSON object")
  void jsonLines() throws Exception {
    List<JsonObject> lines = new ArrayList<>();
    try (HubProcess service = HubProcess.start(Map.of("LOG_FORMAT", "json"))) {
      damageOneIncident(service.storeUri());
      assertEquals(200, get(service, "/health", "json-200"));
      assertEquals(500, get(service, "/incidents/damaged", "json-500"));
      service.awaitLine(line -> line.contains("AccessLog") && line.contains("json-500"));
      assertEquals(0, service.stop(), "exit code after SIGTERM (a graceful stop)");

      for (String line : service.stdoutLines()) {
        lines.add(parse("stdout", line));
      }
      for (String line : service.stderrLines()) {
        lines.add(parse("stderr", line));
      }
    }

    lines.forEach(line -> {
      assertTrue(line.getValue("timestamp") instanceof Number, "timestamp in " + line);
      assertTrue(LEVELS.contains(line.getString("level")), "level in " + line);
      assertFalse(line.getString("loggerName", "").isEmpty(), "loggerName in " + line);
      assertTrue(line.getValue("formattedMessage") instanceof String, "formattedMessage in " + line);
    });
    assertEquals("Starting Incident Hub with", firstWords(lines.get(0).getString("formattedMessage"), 4));
    JsonObject access = only(lines, "com.incidenthub.http.AccessLog", "GET /health 200");
    assertEquals(new JsonObject().put(RequestId.MDC_KEY, "json-200"), access.getJsonObject("mdc"));
    JsonObject failure = only(lines, "com.incidenthub.http.ErrorResponder", "GET /incidents/damaged failed");
    assertEquals("ERROR", failure.getString("level"));
    assertEquals(new JsonObject().put(RequestId.MDC_KEY, "json-500"), failure.getJsonObject("mdc"));
    assertEquals("java.lang.NullPointerException", failure.getJsonObject("throwable").getString("className"),
        "the stack trace is part of the same line");
  }

  @Test
  @DisplayName("by default the lines are text, with the request id after the logger on a request's lines")
  void textLines() throws Exception {
    try (HubProcess service = HubProcess.start(Map.of())) {
      assertEquals(200, get(service, "/health", "text-1"));
      String access = service.awaitLine(line -> line.contains(" AccessLog "));
      service.stop();

      assertTrue(access.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  AccessLog \\[text-1\\] - "
          + "GET /health 200 \\d+ms"), access);
      assertTrue(service.stdoutLines().stream().anyMatch(line -> line.matches(
          "\\S+ INFO  Node - HTTP server listening on port " + service.port + " \\(.*\\)")),
        "a line outside any request");
      assertEquals(List.of(), service.stderrLines());
    }
  }

  private static JsonObject parse(String stream, String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      throw new AssertionError("not one JSON object on " + stream + ": " + line, e);
    }
  }

  private static JsonObject only(List<JsonObject> lines, String logger, String messageStart) {
    List<JsonObject> matching = lines.stream()
        .filter(line -> logger.equals(line.getString("loggerName")))
        .filter(line -> line.getString("formattedMessage").startsWith(messageStart))
        .toList();
    assertEquals(1, matching.size(), logger + " lines starting '" + messageStart + "': " + matching);
    return matching.get(0);
  }

  private static String firstWords(String text, int count) {
    return String.join(" ", List.of(text.split(" ")).subList(0, count));
  }

  private static int get(HubProcess service, String path, String requestId) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port + path))
        .header(RequestId.HEADER, requestId).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** A document without the timestamps every incident has: reading it fails inside the service, with a stack trace. */
  private static void damageOneIncident(String storeUri) {
    Vertx vertx = Vertx.vertx();
    MongoClient mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", storeUri)
        .put("db_name", "incidents"));
    try {
      RunningHub.await(mongo.insert(IncidentRepository.COLLECTION,
          new JsonObject().put("_id", "damaged").put("channel", "general").put("title", "t")));
    } finally {
      RunningHub.await(mongo.close());
      RunningHub.await(vertx.close());
    }
  }
}
