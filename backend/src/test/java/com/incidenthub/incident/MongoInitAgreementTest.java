package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MongoDB container is initialised from mongo-init/; it must agree with what the service creates and accepts. */
@DisplayName("mongo-init agrees with the backend")
class MongoInitAgreementTest {
  private static final Path MONGO_INIT = Path.of("..", "mongo-init");

  private static JsonObject validator;
  private static JsonObject newIncidentSchema;

  @BeforeAll
  static void read() throws IOException {
    validator = new JsonObject(Files.readString(MONGO_INIT.resolve("validator.json"))).getJsonObject("$jsonSchema");
    newIncidentSchema = new JsonObject(Files.readString(
        Path.of("src", "main", "resources", IncidentRoutes.NEW_INCIDENT_SCHEMA)));
  }

  @Test
  @DisplayName("indexes.json lists the backend's indexes, by name and key order")
  void sameIndexes() throws IOException {
    JsonArray expected = new JsonArray(IncidentRepository.INDEXES.stream()
        .map(index -> new JsonObject().put("name", index.getOptions().getName()).put("key", index.getKey()))
        .toList());
    JsonArray declared = new JsonArray(Files.readString(MONGO_INIT.resolve("indexes.json")));

    assertEquals(expected.encode(), declared.encode());
  }

  @Test
  @DisplayName("the validator requires exactly the fields the backend stores, and nothing else is allowed")
  void sameFields() {
    Incident sample = new Incident("0b5ea67f-0610-4ed6-a7e4-24644e6ffd3c", "general", "t", "", "low", "open",
        Instant.EPOCH, Instant.EPOCH, 1, "anonymous", "anonymous");
    Set<String> stored = IncidentDocuments.toDocument(sample).fieldNames();

    assertEquals(stored, Set.copyOf(validator.getJsonArray("required").getList()));
    assertEquals(stored, validator.getJsonObject("properties").fieldNames());
    assertEquals(false, validator.getBoolean("additionalProperties"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"title", "message", "channel", "severity", "status"})
  @DisplayName("the validator's rule for each field is the API schema's rule")
  void sameRules(String field) {
    JsonObject api = newIncidentSchema.getJsonObject("properties").getJsonObject(field);
    JsonObject stored = validator.getJsonObject("properties").getJsonObject(field);

    for (String rule : List.of("minLength", "maxLength", "pattern", "enum")) {
      assertEquals(api.getValue(rule), stored.getValue(rule), field + " " + rule);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"createdBy", "updatedBy"})
  @DisplayName("the validator's rule for the actors is the backend's")
  void sameActorRule(String field) {
    assertEquals(Incident.ACTOR_PATTERN, validator.getJsonObject("properties").getJsonObject(field).getString("pattern"));
  }

  @Test
  @DisplayName("the enums are the ones the backend checks queries against")
  void sameEnums() {
    JsonObject properties = validator.getJsonObject("properties");

    assertEquals(Incident.SEVERITIES, properties.getJsonObject("severity").getJsonArray("enum").getList());
    assertEquals(Incident.STATUSES, properties.getJsonObject("status").getJsonArray("enum").getList());
  }
}
