package com.incidenthub.incident;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The only class that talks to MongoDB; driver failures leave it as {@link HubException}s. */
public final class IncidentRepository {
  public static final String COLLECTION = "incidents";

  /** One index per query shape the API runs; the same list is created by {@code mongo-init/}. */
  public static final List<IndexModel> INDEXES = List.of(
      index("by_created", new JsonObject().put("createdAt", -1).put("_id", -1)),
      index("by_channel_created", new JsonObject().put("channel", 1).put("createdAt", -1).put("_id", -1)),
      index("by_status_created", new JsonObject().put("status", 1).put("createdAt", -1).put("_id", -1)),
      index("by_severity_created", new JsonObject().put("severity", 1).put("createdAt", -1).put("_id", -1)),
      index("channel_summary", new JsonObject().put("channel", 1).put("status", 1).put("createdAt", -1)));

  private static final JsonObject NEWEST_FIRST = new JsonObject().put("createdAt", -1).put("_id", -1);

  private static final Logger LOG = LoggerFactory.getLogger(IncidentRepository.class);

  private final MongoClient mongo;
  private final StoreMetrics metrics;
  private boolean reachable = true;

  public IncidentRepository(MongoClient mongo, StoreMetrics metrics) {
    this.mongo = mongo;
    this.metrics = metrics;
  }

  public Future<Void> ensureIndexes() {
    return guard(StoreOperation.ENSURE_INDEXES, () -> mongo.createIndexes(COLLECTION, INDEXES))
        .onSuccess(done -> LOG.info("Indexes ensured on {}: {}", COLLECTION,
            INDEXES.stream().map(index -> index.getOptions().getName()).toList()));
  }

  /** Stores a new incident; {@code actor} is who created it (a token's name, or "anonymous"). */
  public Future<Incident> create(JsonObject newIncident, String actor) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Incident incident = new Incident(
        UUID.randomUUID().toString(),
        newIncident.getString("channel", Incident.DEFAULT_CHANNEL),
        newIncident.getString("title").trim(),
        newIncident.getString("message", ""),
        newIncident.getString("severity"),
        newIncident.getString("status", Incident.DEFAULT_STATUS),
        now,
        now,
        1,
        actor,
        actor);
    return guard(StoreOperation.CREATE, () -> mongo.insert(COLLECTION, IncidentDocuments.toDocument(incident)))
        .map(id -> incident);
  }

  public Future<Incident> find(String id) {
    return guard(StoreOperation.FIND,
            () -> mongo.findOne(COLLECTION, new JsonObject().put("_id", id), IncidentDocuments.FIELDS))
        .map(document -> {
          if (document == null) {
            throw HubException.notFound(id);
          }
          return IncidentDocuments.fromDocument(document);
        });
  }

  public Future<Page> list(IncidentQuery query) {
    JsonObject filter = filterOf(query);
    FindOptions options = new FindOptions()
        .setFields(IncidentDocuments.FIELDS)
        .setSort(NEWEST_FIRST)
        .setLimit(query.limit())
        .setSkip(query.offset());
    Future<List<JsonObject>> documents =
        guard(StoreOperation.LIST, () -> mongo.findWithOptions(COLLECTION, filter, options));
    Future<Long> total = guard(StoreOperation.COUNT, () -> mongo.count(COLLECTION, filter));
    return Future.all(documents, total).map(both -> new Page(
        documents.result().stream().map(IncidentDocuments::fromDocument).toList(), total.result()));
  }

  /**
   * Sets the status unless it already is that status. With {@code expectedVersion} the change applies only to that
   * version, so a client cannot overwrite a change it has not seen. {@code actor} becomes the incident's updatedBy.
   */
  public Future<StatusChange> changeStatus(String id, String status, Optional<Integer> expectedVersion, String actor) {
    JsonObject filter = new JsonObject().put("_id", id).put("status", new JsonObject().put("$ne", status));
    expectedVersion.ifPresent(version -> filter.put("version", version));
    JsonObject update = new JsonObject()
        .put("$set", new JsonObject().put("status", status)
            .put("updatedAt", IncidentDocuments.date(Instant.now().truncatedTo(ChronoUnit.MILLIS)))
            .put("updatedBy", actor))
        .put("$inc", new JsonObject().put("version", 1));
    FindOptions fields = new FindOptions().setFields(IncidentDocuments.FIELDS);
    UpdateOptions returnUpdated = new UpdateOptions().setReturningNewDocument(true);
    return guard(StoreOperation.CHANGE_STATUS,
            () -> mongo.findOneAndUpdateWithOptions(COLLECTION, filter, update, fields, returnUpdated))
        .compose(updated -> updated != null
            ? Future.succeededFuture(new StatusChange(IncidentDocuments.fromDocument(updated), true))
            : find(id).map(current -> unchanged(current, expectedVersion)));
  }

  /** Counts per channel and status in one aggregation, served from the {@code channel_summary} index. */
  public Future<List<JsonObject>> channelSummaries() {
    JsonObject group = new JsonObject()
        .put("_id", "$channel")
        .put("total", new JsonObject().put("$sum", 1))
        .put("lastIncidentAt", new JsonObject().put("$max", "$createdAt"));
    Incident.STATUSES.forEach(status -> group.put(status, new JsonObject().put("$sum", new JsonObject()
        .put("$cond", new JsonArray().add(new JsonObject().put("$eq", new JsonArray().add("$status").add(status)))
            .add(1).add(0)))));
    JsonArray pipeline = new JsonArray()
        .add(new JsonObject().put("$sort", new JsonObject().put("channel", 1)))
        .add(new JsonObject().put("$group", group))
        .add(new JsonObject().put("$sort", new JsonObject().put("_id", 1)));
    return guard(StoreOperation.CHANNEL_SUMMARIES,
            () -> mongo.aggregate(COLLECTION, pipeline).collect(Collectors.toList()))
        .map(groups -> groups.stream().map(IncidentRepository::channelSummary).toList());
  }

  public Future<Void> ping() {
    return guard(StoreOperation.PING, () -> mongo.runCommand("ping", new JsonObject().put("ping", 1))).mapEmpty();
  }

  private static StatusChange unchanged(Incident current, Optional<Integer> expectedVersion) {
    if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
      throw new HubException(ErrorCode.VERSION_CONFLICT, "Incident '" + current.id() + "' is at version "
          + current.version() + ", not " + expectedVersion.get() + "; reload it and try again");
    }
    return new StatusChange(current, false);
  }

  private static JsonObject channelSummary(JsonObject group) {
    JsonObject summary = new JsonObject()
        .put("name", group.getString("_id"))
        .put("total", group.getLong("total"));
    Incident.STATUSES.forEach(status -> summary.put(status, group.getLong(status)));
    return summary.put("lastIncidentAt", Incident.iso(IncidentDocuments.instant(group.getJsonObject("lastIncidentAt"))));
  }

  private static JsonObject filterOf(IncidentQuery query) {
    JsonObject filter = new JsonObject();
    anyOf(filter, "channel", query.channels());
    anyOf(filter, "severity", query.severities());
    anyOf(filter, "status", query.statuses());
    JsonObject createdAt = new JsonObject();
    query.from().ifPresent(from -> createdAt.put("$gte", IncidentDocuments.date(from)));
    query.to().ifPresent(to -> createdAt.put("$lt", IncidentDocuments.date(to)));
    if (!createdAt.isEmpty()) {
      filter.put("createdAt", createdAt);
    }
    return filter;
  }

  private static void anyOf(JsonObject filter, String field, List<String> values) {
    if (!values.isEmpty()) {
      filter.put(field, new JsonObject().put("$in", new JsonArray(values)));
    }
  }

  private static IndexModel index(String name, JsonObject keys) {
    return new IndexModel(keys, new IndexOptions().name(name));
  }

  /**
   * The one way every MongoDB operation runs: timed for the metrics, failures or not. Connection trouble means "try
   * again later" (503); anything else from the driver is a bug to log (500). Also logs when MongoDB goes away and
   * comes back, once per change rather than once per request.
   */
  private <T> Future<T> guard(StoreOperation kind, Supplier<Future<T>> operation) {
    long started = System.nanoTime();
    return operation.get().transform(outcome -> {
      metrics.completed(kind, System.nanoTime() - started);
      if (outcome.succeeded()) {
        markReachable();
        return Future.succeededFuture(outcome.result());
      }
      Throwable failure = outcome.cause();
      if (failure instanceof MongoTimeoutException || failure instanceof MongoSocketException) {
        markUnreachable(failure);
        return Future.failedFuture(HubException.databaseUnavailable(failure));
      }
      return Future.failedFuture(failure);
    });
  }

  private void markReachable() {
    if (!reachable) {
      reachable = true;
      LOG.info("MongoDB is reachable again");
    }
  }

  private void markUnreachable(Throwable cause) {
    if (reachable) {
      reachable = false;
      LOG.warn("MongoDB is unreachable; requests answer 503 until it is back: {}", cause.getMessage());
    }
  }

  /** One page of a listing, and how many incidents match in all. */
  public record Page(List<Incident> incidents, long total) {}

  /** The incident after a status change, and whether anything changed (no event is sent when nothing did). */
  public record StatusChange(Incident incident, boolean changed) {}
}
