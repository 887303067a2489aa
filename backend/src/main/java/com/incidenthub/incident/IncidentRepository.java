package com.incidenthub.incident;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import com.incidenthub.incident.HistoryEntry.Note;
import com.incidenthub.incident.HistoryEntry.Repeat;
import com.incidenthub.incident.HistoryEntry.StatusChanged;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The only class that talks to MongoDB; driver failures leave it as {@link HubException}s. */
public final class IncidentRepository {
  public static final String COLLECTION = "incidents";

  /** One index per query shape the API runs, and the de-duplication slot; the same list is in {@code mongo-init/}. */
  public static final List<IndexModel> INDEXES = List.of(
      index("by_created", new JsonObject().put("createdAt", -1).put("_id", -1)),
      index("by_channel_created", new JsonObject().put("channel", 1).put("createdAt", -1).put("_id", -1)),
      index("by_status_created", new JsonObject().put("status", 1).put("createdAt", -1).put("_id", -1)),
      index("by_severity_created", new JsonObject().put("severity", 1).put("createdAt", -1).put("_id", -1)),
      index("channel_summary", new JsonObject().put("channel", 1).put("status", 1).put("createdAt", -1)),
      // Unique and sparse: only unresolved incidents that hold their key have the field, so at most one of them per
      // channel and key, enforced by the store itself (the embedded store ignores partialFilterExpression).
      new IndexModel(new JsonObject().put("dedupSlot", 1),
          new IndexOptions().name("dedup_slot").unique(true).sparse(true)));

  /** The TTL index of {@code RETENTION_DAYS}, on the moment of resolution; absent while retention is off. */
  public static final String RETENTION_INDEX = "resolved_ttl";
  public static final JsonObject RETENTION_KEY = new JsonObject().put("resolvedAt", 1);

  private static final JsonObject NEWEST_FIRST = new JsonObject().put("createdAt", -1).put("_id", -1);
  private static final FindOptions INCIDENT_FIELDS = new FindOptions().setFields(IncidentDocuments.FIELDS);
  // The change's "before" document, not its "after": the embedded store can hand a concurrent change's result to two
  // callers when asked for the updated document (see the project's facts on mongo-java-server), never the before.
  private static final UpdateOptions RETURN_BEFORE = new UpdateOptions().setReturningNewDocument(false);
  /** A create races a resolve or another create for the same key at most this many times before it gives up. */
  private static final int DEDUP_ATTEMPTS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(IncidentRepository.class);

  private final MongoClient mongo;
  private boolean reachable = true;

  public IncidentRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The query indexes, then the retention index as {@code retention} asks: created, changed, or dropped. */
  public Future<Void> ensureIndexes(Optional<Duration> retention) {
    return guard(mongo.createIndexes(COLLECTION, INDEXES))
        .onSuccess(done -> LOG.info("Indexes ensured on {}: {}", COLLECTION,
            INDEXES.stream().map(index -> index.getOptions().getName()).toList()))
        .compose(done -> guard(mongo.listIndexes(COLLECTION)))
        .compose(indexes -> reconcileRetention(indexes, retention));
  }

  /**
   * Stores a new incident, or, when it has a dedupKey that an unresolved incident of its channel holds, counts it as
   * a repeat of that one. Atomic without a read-then-write: the unique {@code dedup_slot} index lets only one insert
   * per key win, and a repeat is one update of the holder.
   */
  public Future<Creation> create(NewIncident fields, String actor) {
    if (fields.dedupKey().isEmpty()) {
      return insert(fields, actor).map(inserted -> new Creation(inserted.orElseThrow(), false));
    }
    return repeatOrInsert(fields, actor, DEDUP_ATTEMPTS);
  }

  public Future<Incident> find(String id) {
    return guard(mongo.findOne(COLLECTION, byId(id), IncidentDocuments.FIELDS))
        .map(document -> IncidentDocuments.fromDocument(orNotFound(document, id)));
  }

  /** The incident's timeline, oldest first. */
  public Future<List<HistoryEntry>> history(String id) {
    return guard(mongo.findOne(COLLECTION, byId(id), IncidentDocuments.HISTORY))
        .map(document -> IncidentDocuments.history(orNotFound(document, id).getJsonArray("history", new JsonArray())));
  }

  public Future<Page> list(IncidentQuery query) {
    JsonObject filter = filterOf(query);
    FindOptions options = new FindOptions()
        .setFields(IncidentDocuments.FIELDS)
        .setSort(NEWEST_FIRST)
        .setLimit(query.limit())
        .setSkip(query.offset());
    Future<List<JsonObject>> documents = guard(mongo.findWithOptions(COLLECTION, filter, options));
    Future<Long> total = guard(mongo.count(COLLECTION, filter));
    return Future.all(documents, total).map(both -> new Page(
        documents.result().stream().map(IncidentDocuments::fromDocument).toList(), total.result()));
  }

  /**
   * Sets the status unless it already is that status. With {@code expectedVersion} the change applies only to that
   * version, so a client cannot overwrite a change it has not seen. Resolving gives the dedupKey up and starts the
   * retention clock; reopening stops the clock and takes the key back unless another unresolved incident holds it.
   */
  public Future<StatusChange> changeStatus(String id, String status, Optional<Integer> expectedVersion, String actor) {
    Instant now = now();
    JsonObject filter = byId(id).put("status", new JsonObject().put("$ne", status));
    expectedVersion.ifPresent(version -> filter.put("version", version));
    JsonObject set = new JsonObject().put("status", status);
    JsonObject update = new JsonObject().put("$set", set);
    if (Incident.RESOLVED.equals(status)) {
      set.put("resolvedAt", IncidentDocuments.date(now));
      update.put("$unset", new JsonObject().put("dedupSlot", ""));
    } else {
      update.put("$unset", new JsonObject().put("resolvedAt", ""));
    }
    return change(filter, update, new StatusChanged(now, actor, null, status), now)
        .compose(before -> {
          if (before.isEmpty()) {
            return find(id).map(current -> unchanged(current, expectedVersion));
          }
          Incident after = before.get().withStatus(status, actor, now);
          Future<Void> key = before.get().resolved() ? reclaimDedupKey(after) : Future.succeededFuture();
          return key.map(done -> new StatusChange(after, true));
        });
  }

  /** Adds a note to the incident's timeline; the incident moves one version on. */
  public Future<NoteAdded> addNote(String id, String text, String actor) {
    Instant now = now();
    Note note = new Note(now, actor, text);
    return change(byId(id), new JsonObject(), note, now)
        .map(before -> new NoteAdded(before.orElseThrow(() -> HubException.notFound(id)).changedBy(actor, now),
            note));
  }

  /** Counts per channel and status in one aggregation, served from the {@code channel_summary} index. */
  public Future<List<ChannelSummary>> channelSummaries() {
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
    return guard(mongo.aggregate(COLLECTION, pipeline).collect(Collectors.toList()))
        .map(groups -> groups.stream().map(IncidentDocuments::channelSummary).toList());
  }

  public Future<Void> ping() {
    return guard(mongo.runCommand("ping", new JsonObject().put("ping", 1))).mapEmpty();
  }

  /**
   * The one path of every write that changes a stored incident: the update, one version further, {@code updatedAt}
   * now, {@code updatedBy} the entry's actor, and {@code entry} appended to its history, in one atomic operation.
   * Answers the incident as it was before the change, or empty when {@code filter} matched nothing.
   */
  private Future<Optional<Incident>> change(JsonObject filter, JsonObject update, HistoryEntry entry, Instant at) {
    JsonObject set = update.getJsonObject("$set", new JsonObject()).copy()
        .put("updatedAt", IncidentDocuments.date(at))
        .put("updatedBy", entry.actor());
    JsonObject full = update.copy()
        .put("$inc", update.getJsonObject("$inc", new JsonObject()).copy().put("version", 1))
        .put("$set", set)
        .put("$push", new JsonObject().put("history", IncidentDocuments.entry(entry)));
    return guard(mongo.findOneAndUpdateWithOptions(COLLECTION, filter, full, INCIDENT_FIELDS, RETURN_BEFORE))
        .map(before -> Optional.ofNullable(before).map(IncidentDocuments::fromDocument));
  }

  /** Inserts a new incident; empty when its dedupKey's slot is held by another unresolved incident. */
  private Future<Optional<Incident>> insert(NewIncident fields, String actor) {
    Incident incident = Incident.first(UUID.randomUUID().toString(), fields, now(), actor);
    return guard(mongo.insert(COLLECTION, IncidentDocuments.newDocument(incident)))
        .map(id -> Optional.of(incident))
        .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(failure));
  }

  private Future<Creation> repeatOrInsert(NewIncident fields, String actor, int attemptsLeft) {
    if (attemptsLeft == 0) {
      return Future.failedFuture(new IllegalStateException("A create with dedupKey '" + fields.dedupKey().get()
          + "' lost the race for its key " + DEDUP_ATTEMPTS + " times"));
    }
    return repeat(fields, actor).compose(repeated -> repeated.isPresent()
        ? Future.succeededFuture(new Creation(repeated.get(), true))
        : insert(fields, actor).compose(inserted -> inserted.isPresent()
            ? Future.succeededFuture(new Creation(inserted.get(), false))
            : repeatOrInsert(fields, actor, attemptsLeft - 1)));
  }

  /**
   * Counts another occurrence on the unresolved incident holding the key, if there is one. Two conditional updates
   * keep the higher severity without reading first: the first raises a lower or equal one, the second leaves a
   * higher one alone (severities only ever rise, so when neither matches, no incident holds the key).
   */
  private Future<Optional<Incident>> repeat(NewIncident fields, String actor) {
    Instant now = now();
    JsonObject slot = new JsonObject().put("dedupSlot", IncidentDocuments.dedupSlot(fields.channel(),
        fields.dedupKey().orElseThrow()));
    int rank = Incident.SEVERITIES.indexOf(fields.severity());
    JsonObject set = new JsonObject().put("lastOccurredAt", IncidentDocuments.date(now));
    if (!fields.message().isEmpty()) {
      set.put("message", fields.message());
    }
    JsonObject update = new JsonObject().put("$set", set).put("$inc", new JsonObject().put("occurrences", 1));
    JsonObject raise = update.copy().put("$set", set.copy().put("severity", fields.severity()));
    Repeat entry = new Repeat(now, actor);
    return change(slot.copy().put("severity", anyOf(Incident.SEVERITIES.subList(0, rank + 1))), raise, entry, now)
        .compose(raised -> raised.isPresent() || rank == Incident.SEVERITIES.size() - 1
            ? Future.succeededFuture(raised)
            : change(slot.copy().put("severity", anyOf(Incident.SEVERITIES.subList(rank + 1,
                Incident.SEVERITIES.size()))), update, entry, now))
        .map(before -> before.map(incident -> incident.repeatedBy(fields, actor, now)));
  }

  /** After a reopen: the incident holds its dedupKey again, unless another unresolved incident took it meanwhile. */
  private Future<Void> reclaimDedupKey(Incident reopened) {
    if (reopened.dedupKey().isEmpty()) {
      return Future.succeededFuture();
    }
    JsonObject filter = byId(reopened.id())
        .put("status", new JsonObject().put("$ne", Incident.RESOLVED))
        .put("dedupSlot", new JsonObject().put("$exists", false));
    JsonObject update = new JsonObject().put("$set", new JsonObject()
        .put("dedupSlot", IncidentDocuments.dedupSlot(reopened.channel(), reopened.dedupKey().get())));
    return guard(mongo.updateCollection(COLLECTION, filter, update))
        .<Void>mapEmpty()
        .recover(failure -> {
          if (!isDuplicateKey(failure)) {
            return Future.failedFuture(failure);
          }
          LOG.debug("Reopened incident {} leaves dedupKey '{}' to another unresolved incident", reopened.id(),
              reopened.dedupKey().get());
          return Future.succeededFuture();
        });
  }

  private Future<Void> reconcileRetention(JsonArray indexes, Optional<Duration> retention) {
    Optional<JsonObject> existing = indexes.stream().map(JsonObject.class::cast)
        .filter(index -> RETENTION_INDEX.equals(index.getString("name"))).findFirst();
    if (retention.isEmpty()) {
      if (existing.isEmpty()) {
        return Future.succeededFuture();
      }
      LOG.info("RETENTION_DAYS is not set: incidents are kept; dropping the index {}", RETENTION_INDEX);
      return guard(mongo.dropIndex(COLLECTION, RETENTION_INDEX));
    }
    long seconds = retention.get().toSeconds();
    if (existing.isPresent() && Long.valueOf(seconds).equals(existing.get().getLong("expireAfterSeconds"))) {
      return Future.succeededFuture();
    }
    LOG.info("Resolved incidents are deleted {} days after their resolution (index {})", retention.get().toDays(),
        RETENTION_INDEX);
    // A TTL index's expiry cannot be changed by creating it again; dropping first makes a changed setting take hold.
    Future<Void> dropped = existing.isPresent() ? guard(mongo.dropIndex(COLLECTION, RETENTION_INDEX))
        : Future.succeededFuture();
    return dropped.compose(done -> guard(mongo.createIndexWithOptions(COLLECTION, RETENTION_KEY,
        new IndexOptions().name(RETENTION_INDEX).expireAfter(seconds, TimeUnit.SECONDS))));
  }

  private static StatusChange unchanged(Incident current, Optional<Integer> expectedVersion) {
    if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
      throw new HubException(ErrorCode.VERSION_CONFLICT, "Incident '" + current.id() + "' is at version "
          + current.version() + ", not " + expectedVersion.get() + "; reload it and try again");
    }
    return new StatusChange(current, false);
  }

  private static JsonObject orNotFound(JsonObject document, String id) {
    if (document == null) {
      throw HubException.notFound(id);
    }
    return document;
  }

  private static JsonObject byId(String id) {
    return new JsonObject().put("_id", id);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static JsonObject filterOf(IncidentQuery query) {
    JsonObject filter = new JsonObject();
    putAnyOf(filter, "channel", query.channels());
    putAnyOf(filter, "severity", query.severities());
    putAnyOf(filter, "status", query.statuses());
    JsonObject createdAt = new JsonObject();
    query.from().ifPresent(from -> createdAt.put("$gte", IncidentDocuments.date(from)));
    query.to().ifPresent(to -> createdAt.put("$lt", IncidentDocuments.date(to)));
    if (!createdAt.isEmpty()) {
      filter.put("createdAt", createdAt);
    }
    return filter;
  }

  private static void putAnyOf(JsonObject filter, String field, List<String> values) {
    if (!values.isEmpty()) {
      filter.put(field, anyOf(values));
    }
  }

  private static JsonObject anyOf(List<String> values) {
    return new JsonObject().put("$in", new JsonArray(values));
  }

  private static IndexModel index(String name, JsonObject keys) {
    return new IndexModel(keys, new IndexOptions().name(name));
  }

  private static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoServerException server
        && ErrorCategory.fromErrorCode(server.getCode()) == ErrorCategory.DUPLICATE_KEY;
  }

  /**
   * Connection trouble means "try again later" (503); anything else from the driver is a bug to log (500). Also logs
   * when MongoDB goes away and comes back, once per change rather than once per request.
   */
  private <T> Future<T> guard(Future<T> operation) {
    return operation.transform(outcome -> {
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

  /** The answer to a create: the new incident, or the unresolved one it repeated ({@code repeated}). */
  public record Creation(Incident incident, boolean repeated) {}

  /** The incident after a note, and the note's history entry. */
  public record NoteAdded(Incident incident, Note note) {}
}
