package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
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

  private static final String SAMPLE_ID = "0b5ea67f-0610-4ed6-a7e4-24644e6ffd3c";

  private static JsonObject validator;
  private static JsonObject newIncidentSchema;
  private static JsonObject noteSchema;

  @BeforeAll
  static void read() throws IOException {
    validator = new JsonObject(Files.readString(MONGO_INIT.resolve("validator.json"))).getJsonObject("$jsonSchema");
    newIncidentSchema = new JsonObject(Files.readString(
        Path.of("src", "main", "resources", IncidentRoutes.NEW_INCIDENT_SCHEMA)));
    noteSchema = new JsonObject(Files.readString(Path.of("src", "main", "resources", IncidentRoutes.NOTE_SCHEMA)));
  }

  @Test
  @DisplayName("indexes.json lists the backend's indexes, by name, key order and options, then the retention index")
  void sameIndexes() throws IOException {
    JsonArray expected = new JsonArray(new ArrayList<>(IncidentRepository.INDEXES.stream().map(index -> {
      JsonObject declared = new JsonObject().put("name", index.getOptions().getName()).put("key", index.getKey());
      if (index.getOptions().isUnique()) {
        declared.put("unique", true);
      }
      if (index.getOptions().isSparse()) {
        declared.put("sparse", true);
      }
      return declared;
    }).toList())).add(new JsonObject().put("name", IncidentRepository.RETENTION_INDEX)
        .put("key", IncidentRepository.RETENTION_KEY).put("expireAfterDays", "RETENTION_DAYS"));
    JsonArray declared = new JsonArray(Files.readString(MONGO_INIT.resolve("indexes.json")));

    assertEquals(expected.encode(), declared.encode());
  }

  @Test
  @DisplayName("the validator allows exactly the fields the backend stores, and requires those every incident has")
  void sameFields() {
    NewIncident fields = new NewIncident("general", "t", "", "low", "open", Optional.of("sensor-7"));
    JsonObject open = IncidentDocuments.newDocument(Incident.first(SAMPLE_ID, fields, Instant.EPOCH, "anonymous"), 1);
    JsonObject resolved = IncidentDocuments.newDocument(Incident.first(SAMPLE_ID,
        new NewIncident("general", "t", "", "low", "resolved", Optional.empty()), Instant.EPOCH, "anonymous"), 1);
    Set<String> stored = new HashSet<>(open.fieldNames());
    stored.addAll(resolved.fieldNames());
    stored.add("lastOccurredAt"); // from the first repeat on
    Set<String> always = new HashSet<>(open.fieldNames());
    always.retainAll(resolved.fieldNames());
    // Incidents stored before occurrences and history were kept lack those two.
    always.removeAll(Set.of("occurrences", "history"));

    assertEquals(always, Set.copyOf(validator.getJsonArray("required").getList()));
    assertEquals(stored, validator.getJsonObject("properties").fieldNames());
    assertEquals(false, validator.getBoolean("additionalProperties"));
  }

  @Test
  @DisplayName("the validator accepts the history entries the backend stores, with the API's note length")
  void sameHistoryEntries() {
    JsonObject entry = validator.getJsonObject("properties").getJsonObject("history").getJsonObject("items");
    Set<String> fields = new HashSet<>();
    for (HistoryEntry sample : List.of(new HistoryEntry.Created(Instant.EPOCH, "a", "open"),
        new HistoryEntry.StatusChanged(Instant.EPOCH, "a", "open", "resolved"),
        new HistoryEntry.Note(Instant.EPOCH, "a", "text"), new HistoryEntry.Repeat(Instant.EPOCH, "a"))) {
      fields.addAll(IncidentDocuments.entry(sample).fieldNames());
    }
    JsonObject text = entry.getJsonObject("properties").getJsonObject("text");
    JsonObject noteText = noteSchema.getJsonObject("properties").getJsonObject("text");

    assertEquals(fields, entry.getJsonObject("properties").fieldNames());
    assertEquals(List.of("created", "status", "note", "repeat"),
        entry.getJsonObject("properties").getJsonObject("type").getJsonArray("enum").getList());
    assertEquals(Incident.STATUSES, entry.getJsonObject("properties").getJsonObject("to").getJsonArray("enum").getList());
    assertEquals(noteText.getInteger("minLength"), text.getInteger("minLength"));
    assertEquals(noteText.getInteger("maxLength"), text.getInteger("maxLength"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"title", "message", "channel", "severity", "status", "dedupKey"})
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
  @DisplayName("the change sequence's number is a 64-bit integer from 1, as the backend writes it")
  void sequenceNumberType() {
    JsonObject seq = validator.getJsonObject("properties").getJsonObject("seq");
    NewIncident fields = new NewIncident("general", "t", "", "low", "open", Optional.empty());
    JsonObject document = IncidentDocuments.newDocument(Incident.first(SAMPLE_ID, fields, Instant.EPOCH, "anonymous"),
        1);

    assertEquals(new JsonObject().put("bsonType", "long").put("minimum", 1), seq);
    assertEquals(Long.class, document.getValue("seq").getClass());
  }

  @Test
  @DisplayName("sequence.json names the change counter the backend increments")
  void sameCounter() throws IOException {
    JsonObject declared = new JsonObject(Files.readString(MONGO_INIT.resolve("sequence.json")));

    assertEquals(new JsonObject().put("collection", IncidentRepository.COUNTERS)
        .put("_id", IncidentRepository.CHANGE_COUNTER), declared);
  }

  @Test
  @DisplayName("the enums are the ones the backend checks queries against")
  void sameEnums() {
    JsonObject properties = validator.getJsonObject("properties");

    assertEquals(Incident.SEVERITIES, properties.getJsonObject("severity").getJsonArray("enum").getList());
    assertEquals(Incident.STATUSES, properties.getJsonObject("status").getJsonArray("enum").getList());
  }
}
