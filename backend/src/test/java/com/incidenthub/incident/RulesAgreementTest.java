package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The severity, status and channel rules are stated once in Java ({@link Incident}) and once in the request schemas;
 * they must say the same. (mongo-init's validator: {@link MongoInitAgreementTest}; the dashboard and the k6 scripts:
 * frontend/test/rules.test.js; the load harness: its own test.)
 */
@DisplayName("the backend's rules agree with the request schemas")
class RulesAgreementTest {
  private static JsonObject create;
  private static JsonObject statusChange;

  @BeforeAll
  static void read() throws IOException {
    create = properties(IncidentRoutes.NEW_INCIDENT_SCHEMA);
    statusChange = properties(IncidentRoutes.STATUS_CHANGE_SCHEMA);
  }

  @Test
  @DisplayName("severities, in order")
  void severities() {
    assertEquals(Incident.SEVERITIES, create.getJsonObject("severity").getJsonArray("enum").getList());
  }

  @Test
  @DisplayName("statuses, in order, for creates and for status changes")
  void statuses() {
    assertEquals(Incident.STATUSES, create.getJsonObject("status").getJsonArray("enum").getList());
    assertEquals(Incident.STATUSES, statusChange.getJsonObject("status").getJsonArray("enum").getList());
  }

  @Test
  @DisplayName("the channel pattern character for character, and its rule in the same words")
  void channelRule() {
    assertEquals(Incident.CHANNEL_PATTERN, create.getJsonObject("channel").getString("pattern"));
    assertEquals(Incident.CHANNEL_RULE, create.getJsonObject("channel").getString("description"));
  }

  private static JsonObject properties(String resource) throws IOException {
    return new JsonObject(Files.readString(Path.of("src", "main", "resources", resource))).getJsonObject("properties");
  }
}
