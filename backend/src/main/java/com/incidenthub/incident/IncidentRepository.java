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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks to MongoDB; driver failures leave it as {@link HubException}s. Every write that changes an
 * incident stamps it with the next number of the change sequence (a counter document), through {@link #stamped}:
 * {@link #insert} for a new incident, {@link #change} for every change to a stored one.
 */
public final class IncidentRepository implements ChangeLog {
  public static final String COLLECTION = "incidents";
  /** The collection of the change sequence's counter document, and that document's id. */
  public static final String COUNTERS = "counters";
  public static final String CHANGE_COUNTER = "incident-changes";

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
          new IndexOptions().name("dedup_slot").unique(true).sparse(true)),
      // Changes after a cursor, over every channel; unique, so a number handed out twice fails the second write
      // instead of hiding a change from resumes. Sparse: documents from before the sequence existed have no seq.
      new IndexModel(new JsonObject().put("seq", 1), new IndexOptions().name("by_seq").unique(true).sparse(true)),
      index("by_channel_seq", new JsonObject().put("channel", 1).put("seq", 1)));

  /** The TTL index of {@code RETENTION_DAYS}, on the moment of resolution; absent while retention is off. */
  public static final String RETENTION_INDEX = "resolved_ttl";
  public static final JsonObject RETENTION_KEY = new JsonObject().put("resolvedAt", 1);

  private static final JsonObject NEWEST_FIRST = new JsonObject().put("createdAt", -1).put("_id", -1);
  private static final JsonObject SEQUENCE_ORDER = new JsonObject().put("seq", 1);
  private static final JsonObject COUNTER = new JsonObject().put("_id", CHANGE_COUNTER);
  private static final FindOptions INCIDENT_FIELDS = new FindOptions().setFields(IncidentDocuments.FIELDS);
  // The change's "before" document, not its "after": the embedded store can hand a concurrent change's result to two
  // callers when asked for the updated document (see the project's facts on mongo-java-server), never the before.
  private static final UpdateOptions RETURN_BEFORE = new UpdateOptions().setReturningNewDocument(false);
  /** A create races a resolve or another create for the same key at most this many times before it gives up. */
  private static final int DEDUP_ATTEMPTS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(IncidentRepository.class);

  private final MongoClient mongo;
  private final LongConsumer skipped;
  private final StoreMetrics metrics;
  private boolean reachable = true;

  /** {@code skipped} hears of every number taken by a write that did not store it ({@link ChangeListener#skipped}). */
  public IncidentRepository(MongoClient mongo, LongConsumer skipped, StoreMetrics metrics) {
    this.mongo = mongo;
    this.skipped = skipped;
    this.metrics = metrics;
  }

  /**
   * Readies the store, once per node before it serves: the indexes (the retention index as {@code retention} asks),
   * and the change counter, created with a fresh epoch when the database has none. Returns the epoch, which tells
   * this store's cursors from any other's.
   */
  public Future<String> prepare(Optional<Duration> retention) {
    return ensureIndexes(retention).compose(indexed -> ensureCounter());
  }

  /** The query indexes, then the retention index as {@code retention} asks: created, changed, or dropped. */
  private Future<Void> ensureIndexes(Optional<Duration> retention) {
    return guard(StoreOperation.PREPARE, () -> mongo.createIndexes(COLLECTION, INDEXES))
        .onSuccess(done -> LOG.info("Indexes ensured on {}: {}", COLLECTION,
            INDEXES.stream().map(index -> index.getOptions().getName()).toList()))
        .compose(done -> guard(StoreOperation.PREPARE, () -> mongo.listIndexes(COLLECTION)))
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
    return guard(StoreOperation.FIND, () -> mongo.findOne(COLLECTION, byId(id), IncidentDocuments.FIELDS))
        .map(document -> IncidentDocuments.fromDocument(orNotFound(document, id)));
  }

  /** The incident's timeline, oldest first. */
  public Future<List<HistoryEntry>> history(String id) {
    return guard(StoreOperation.HISTORY, () -> mongo.findOne(COLLECTION, byId(id), IncidentDocuments.HISTORY))
        .map(document -> IncidentDocuments.history(orNotFound(document, id).getJsonArray("history", new JsonArray())));
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
   * version, so a client cannot overwrite a change it has not seen. Resolving gives the dedupKey up and starts the
   * retention clock; reopening stops the clock and takes the key back unless another unresolved incident holds it.
   */
  public Future<StatusChange> changeStatus(String id, String status, Optional<Integer> expectedVersion,
      String actor) {
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
          Incident after = before.get().incident().withStatus(status, actor, now);
          Future<Void> key = before.get().incident().resolved() ? reclaimDedupKey(after) : Future.succeededFuture();
          return key.map(done -> new StatusChange(after, Optional.of(new Change(after, before.get().seq()))));
        });
  }

  /** Adds a note to the incident's timeline; the incident moves one version on. */
  public Future<NoteAdded> addNote(String id, String text, String actor) {
    Instant now = now();
    Note note = new Note(now, actor, text);
    return change(byId(id), new JsonObject(), note, now)
        .map(before -> before.orElseThrow(() -> HubException.notFound(id)))
        .map(before -> new NoteAdded(new Change(before.incident().changedBy(actor, now), before.seq()), note));
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
    return guard(StoreOperation.CHANNEL_SUMMARIES,
            () -> mongo.aggregate(COLLECTION, pipeline).collect(Collectors.toList()))
        .map(groups -> groups.stream().map(IncidentDocuments::channelSummary).toList());
  }

  public Future<Void> ping() {
    return guard(StoreOperation.PING, () -> mongo.runCommand("ping", new JsonObject().put("ping", 1))).mapEmpty();
  }

  /**
   * The one path of every write that changes a stored incident: the update, one version further, {@code updatedAt}
   * now, {@code updatedBy} the entry's actor, {@code entry} appended to its history and the next number of the change
   * sequence as its {@code seq}, in one atomic operation. Answers the incident as it was before the change, with the
   * number the change took, or empty when {@code filter} matched nothing.
   *
   * <p>Two changes of one incident may store in the other order than they took their numbers; the incident then ends
   * with the number of the change applied last, which is its latest version, and the hubs, which release changes in
   * number order, drop the overtaken change's event as older than a version they already sent.
   */
  private Future<Optional<Stamped>> change(JsonObject filter, JsonObject update, HistoryEntry entry, Instant at) {
    return stamped(seq -> {
      JsonObject set = update.getJsonObject("$set", new JsonObject()).copy()
          .put("updatedAt", IncidentDocuments.date(at))
          .put("updatedBy", entry.actor())
          .put("seq", seq);
      JsonObject full = update.copy()
          .put("$inc", update.getJsonObject("$inc", new JsonObject()).copy().put("version", 1))
          .put("$set", set)
          .put("$push", new JsonObject().put("history", IncidentDocuments.entry(entry)));
      return guard(StoreOperation.CHANGE,
              () -> mongo.findOneAndUpdateWithOptions(COLLECTION, filter, full, INCIDENT_FIELDS, RETURN_BEFORE))
          .map(before -> Optional.ofNullable(before)
              .map(document -> new Stamped(IncidentDocuments.fromDocument(document), seq)));
    });
  }

  /** Inserts a new incident; empty when its dedupKey's slot is held by another unresolved incident. */
  private Future<Optional<Change>> insert(NewIncident fields, String actor) {
    Incident incident = Incident.first(UUID.randomUUID().toString(), fields, now(), actor);
    return stamped(seq -> guard(StoreOperation.INSERT,
            () -> mongo.insert(COLLECTION, IncidentDocuments.newDocument(incident, seq)))
        .map(id -> Optional.of(new Change(incident, seq)))
        .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture(Optional.empty())
            : Future.failedFuture(failure)));
  }

  /**
   * Takes the next number of the change sequence and lets {@code write} store it with the change. A number whose
   * write fails or stores nothing (its filter matched nothing) is reported as skipped, so that no hub waits for it.
   */
  private <T> Future<Optional<T>> stamped(LongFunction<Future<Optional<T>>> write) {
    return nextSeq().compose(seq -> write.apply(seq)
        .onFailure(failure -> skipped.accept(seq))
        .onSuccess(stored -> {
          if (stored.isEmpty()) {
            skipped.accept(seq);
          }
        }));
  }

  /**
   * Takes the next number. The counter document is read as it was before the increment and the increment added here:
   * MongoDB returns either state atomically, but the embedded development store can hand two concurrent callers the
   * same document after the update (see the README's notes on the change sequence), never the same one before it.
   * A counter that is missing (a database that lost its data) is created again, with a new epoch, and says so.
   */
  private Future<Long> nextSeq() {
    JsonObject increment = new JsonObject()
        .put("$inc", new JsonObject().put("seq", 1L))
        .put("$setOnInsert", new JsonObject().put("epoch", newEpoch()));
    return guard(StoreOperation.NEXT_SEQ, () -> mongo.findOneAndUpdateWithOptions(COUNTERS, COUNTER, increment,
            new FindOptions().setFields(new JsonObject().put("seq", 1)),
            new UpdateOptions().setReturningNewDocument(false).setUpsert(true)))
        .map(before -> {
          if (before == null) {
            LOG.warn("The change counter {}/{} was missing (the database lost its data?) and starts again at 1 with "
                + "a new epoch; restart every node so that hubs and cursors follow it", COUNTERS, CHANGE_COUNTER);
            return 1L;
          }
          return before.getLong("seq") + 1;
        });
  }

  private Future<String> ensureCounter() {
    JsonObject initial = new JsonObject().put("$setOnInsert", new JsonObject().put("epoch", newEpoch())
        .put("seq", 0L));
    return guard(StoreOperation.PREPARE,
            () -> mongo.updateCollectionWithOptions(COUNTERS, COUNTER, initial, new UpdateOptions().setUpsert(true)))
        // Two nodes starting at once on a new database: one upsert inserts, MongoDB may refuse the other's insert.
        .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .compose(created -> guard(StoreOperation.PREPARE,
            () -> mongo.findOne(COUNTERS, COUNTER, new JsonObject().put("epoch", 1).put("seq", 1))))
        .map(counter -> {
          LOG.info("Change sequence ready: epoch {}, {} changes so far", counter.getString("epoch"),
              counter.getLong("seq"));
          return counter.getString("epoch");
        });
  }

  @Override
  public Future<Long> head() {
    return guard(StoreOperation.HEAD, () -> mongo.findOne(COUNTERS, COUNTER, new JsonObject().put("seq", 1)))
        .map(counter -> counter == null ? 0L : counter.getLong("seq"));
  }

  @Override
  public Future<List<Change>> changesAfter(Collection<String> channels, long after, long upTo, int limit) {
    JsonObject filter = new JsonObject().put("seq", new JsonObject().put("$gt", after).put("$lte", upTo));
    putAnyOf(filter, "channel", List.copyOf(channels));
    FindOptions options = new FindOptions()
        .setFields(IncidentDocuments.FIELDS)
        .setSort(SEQUENCE_ORDER)
        .setLimit(limit);
    return guard(StoreOperation.CHANGES_AFTER, () -> mongo.findWithOptions(COLLECTION, filter, options))
        .map(documents -> documents.stream().map(IncidentDocuments::changeFromDocument).toList());
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
  private Future<Optional<Change>> repeat(NewIncident fields, String actor) {
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
        .map(before -> before.map(stamped -> new Change(stamped.incident().repeatedBy(fields, actor, now),
            stamped.seq())));
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
    return guard(StoreOperation.RECLAIM_DEDUP_KEY, () -> mongo.updateCollection(COLLECTION, filter, update))
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
      return guard(StoreOperation.PREPARE, () -> mongo.dropIndex(COLLECTION, RETENTION_INDEX));
    }
    long seconds = retention.get().toSeconds();
    if (existing.isPresent() && Long.valueOf(seconds).equals(existing.get().getLong("expireAfterSeconds"))) {
      return Future.succeededFuture();
    }
    LOG.info("Resolved incidents are deleted {} days after their resolution (index {})", retention.get().toDays(),
        RETENTION_INDEX);
    // A TTL index's expiry cannot be changed by creating it again; dropping first makes a changed setting take hold.
    Future<Void> dropped = existing.isPresent()
        ? guard(StoreOperation.PREPARE, () -> mongo.dropIndex(COLLECTION, RETENTION_INDEX))
        : Future.succeededFuture();
    return dropped.compose(done -> guard(StoreOperation.PREPARE, () -> mongo.createIndexWithOptions(COLLECTION,
        RETENTION_KEY, new IndexOptions().name(RETENTION_INDEX).expireAfter(seconds, TimeUnit.SECONDS))));
  }

  private static StatusChange unchanged(Incident current, Optional<Integer> expectedVersion) {
    if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
      throw new HubException(ErrorCode.VERSION_CONFLICT, "Incident '" + current.id() + "' is at version "
          + current.version() + ", not " + expectedVersion.get() + "; reload it and try again");
    }
    return new StatusChange(current, Optional.empty());
  }

  /** 16 random hex digits, drawn when a store's counter is created. */
  private static String newEpoch() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
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

  /** The incident after a status change, and the change stored, if anything changed (else no event is sent). */
  public record StatusChange(Incident incident, Optional<Change> change) {}

  /** The answer to a create: the new incident, or the unresolved one it repeated ({@code repeated}). */
  public record Creation(Change change, boolean repeated) {
    public Incident incident() {
      return change.incident();
    }
  }

  /** The incident after a note, and the note's history entry. */
  public record NoteAdded(Change change, Note note) {}

  /** A stored incident as it was before a change, and the number the change took. */
  private record Stamped(Incident incident, long seq) {}
}
