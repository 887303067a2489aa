package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.incidenthub.store.EmbeddedMongo;
import com.incidenthub.testing.RunningHub;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The repository against the store directly: the retention index as RETENTION_DAYS asks, and the moment of
 * resolution it expires on. (The embedded store keeps TTL indexes but never expires anything; MongoDB does.)
 */
@DisplayName("Retention: a TTL index on the moment of resolution")
class RetentionTest {
  private Vertx vertx;
  private EmbeddedMongo embedded;
  private MongoClient mongo;
  private IncidentRepository repository;

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    String uri = System.getenv("MONGO_URI");
    if (uri == null || uri.isBlank()) {
      embedded = EmbeddedMongo.start();
      uri = embedded.connectionString();
    }
    mongo = MongoClient.create(vertx, new JsonObject().put("connection_string", uri)
        .put("db_name", "test_" + UUID.randomUUID().toString().replace("-", "")));
    repository = new IncidentRepository(mongo, skipped -> { }, StoreMetrics.NONE);
  }

  @AfterEach
  void disconnect() {
    RunningHub.await(mongo.close());
    RunningHub.await(vertx.close());
    if (embedded != null) {
      embedded.stop();
    }
  }

  @Test
  @DisplayName("with RETENTION_DAYS the index expires resolvedAt after that many days; a new value replaces it")
  void createsAndChangesTheIndex() {
    RunningHub.await(repository.prepare(Optional.of(Duration.ofDays(30))));
    assertEquals(Optional.of(30L * 24 * 3600), expiry());

    RunningHub.await(repository.prepare(Optional.of(Duration.ofDays(7))));
    assertEquals(Optional.of(7L * 24 * 3600), expiry());
  }

  @Test
  @DisplayName("without RETENTION_DAYS there is no retention index, and one left from before is dropped")
  void dropsTheIndex() {
    RunningHub.await(repository.prepare(Optional.of(Duration.ofDays(30))));

    RunningHub.await(repository.prepare(Optional.empty()));

    assertFalse(retentionIndex().isPresent());
  }

  @Test
  @DisplayName("resolving stamps resolvedAt with the moment of resolution; reopening clears it")
  void resolutionStartsTheClock() {
    RunningHub.await(repository.prepare(Optional.empty()));
    Incident incident = RunningHub.await(repository.create(
        new NewIncident("general", "t", "", "low", "open", Optional.empty()), "anonymous")).incident();

    Incident resolved = RunningHub.await(repository.changeStatus(incident.id(), "resolved", Optional.empty(),
        "anonymous")).incident();
    // Compared as instants: the store may write 10:47:14.970Z as 10:47:14.97Z.
    assertEquals(Optional.of(resolved.updatedAt()), resolvedAt(incident.id()).map(Instant::parse));

    RunningHub.await(repository.changeStatus(incident.id(), "open", Optional.empty(), "anonymous"));
    assertEquals(Optional.empty(), resolvedAt(incident.id()));
  }

  private Optional<String> resolvedAt(String id) {
    JsonObject document = RunningHub.await(mongo.findOne(IncidentRepository.COLLECTION,
        new JsonObject().put("_id", id), new JsonObject().put("resolvedAt", 1)));
    return Optional.ofNullable(document.getJsonObject("resolvedAt")).map(date -> date.getString("$date"));
  }

  private Optional<Long> expiry() {
    JsonObject index = retentionIndex().orElseThrow();
    assertEquals(IncidentRepository.RETENTION_KEY, index.getJsonObject("key"));
    return Optional.ofNullable(index.getValue("expireAfterSeconds")).map(value -> ((Number) value).longValue());
  }

  private Optional<JsonObject> retentionIndex() {
    return RunningHub.await(mongo.listIndexes(IncidentRepository.COLLECTION)).stream().map(JsonObject.class::cast)
        .filter(index -> IncidentRepository.RETENTION_INDEX.equals(index.getString("name"))).findFirst();
  }
}
