package com.incidenthub.incident;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only class that talks to MongoDB; driver failures leave it as {@link HubException}s. Every write that changes an
 * incident goes through one path, {@link #stamped}, which stamps the change with the next number of the change
 * sequence (a counter document): {@link #create} for new incidents, {@link #update} for changes to stored ones.
 */
public final class IncidentRepository implements ChangeLog {
  public static final String COLLECTION = "incidents";
  /** The collection of the change sequence's counter document, and that document's id. */
  public static final String COUNTERS = "counters";
  public static final String CHANGE_COUNTER = "incident-changes";

  /** One index per query shape the service runs; the same list is created by {@code mongo-init/}. */
  public static final List<IndexModel> INDEXES = List.of(
      index("by_created", new JsonObject().put("createdAt", -1).put("_id", -1)),
      index("by_channel_created", new JsonObject().put("channel", 1).put("createdAt", -1).put("_id", -1)),
      index("by_status_created", new JsonObject().put("status", 1).put("createdAt", -1).put("_id", -1)),
      index("by_severity_created", new JsonObject().put("severity", 1).put("createdAt", -1).put("_id", -1)),
      index("channel_summary", new JsonObject().put("channel", 1).put("status", 1).put("createdAt", -1)),
      // Changes after a cursor, over every channel; unique, so a number handed out twice fails the second write
      // instead of hiding a change from resumes. Sparse: documents from before the sequence existed have no seq.
      new IndexModel(new JsonObject().put("seq", 1), new IndexOptions().name("by_seq").unique(true).sparse(true)),
      index("by_channel_seq", new JsonObject().put("channel", 1).put("seq", 1)));

  private static final JsonObject NEWEST_FIRST = new JsonObject().put("createdAt", -1).put("_id", -1);
  private static final JsonObject SEQUENCE_ORDER = new JsonObject().put("seq", 1);
  private static final JsonObject COUNTER = new JsonObject().put("_id", CHANGE_COUNTER);
  /** Concurrent changes to one incident each retry after a lost race; this many rounds means it is a hot spot. */
  private static final int MAX_UPDATE_ATTEMPTS = 32;

  private static final Logger LOG = LoggerFactory.getLogger(IncidentRepository.class);

  private final MongoClient mongo;
  private final LongConsumer skipped;
  private boolean reachable = true;

  /** {@code skipped} hears of every number taken by a write that did not store it ({@link ChangeListener#skipped}). */
  public IncidentRepository(MongoClient mongo, LongConsumer skipped) {
    this.mongo = mongo;
    this.skipped = skipped;
  }

  /**
   * Readies the store, once per node before it serves: the indexes, and the change counter, created with a fresh epoch
   * when the database has none. Returns the epoch, which tells this store's cursors from any other's.
   */
  public Future<String> prepare() {
    return ensureIndexes().compose(indexed -> ensureCounter());
  }

  private Future<Void> ensureIndexes() {
    return guard(mongo.createIndexes(COLLECTION, INDEXES))
        .onSuccess(done -> LOG.info("Indexes ensured on {}: {}", COLLECTION,
            INDEXES.stream().map(index -> index.getOptions().getName()).toList()));
  }

  private Future<String> ensureCounter() {
    JsonObject initial = new JsonObject().put("$setOnInsert", new JsonObject()
        .put("epoch", newEpoch()).put("seq", 0L));
    return guard(mongo.updateCollectionWithOptions(COUNTERS, COUNTER, initial, new UpdateOptions().setUpsert(true)))
        // Two nodes starting at once on a new database: one upsert inserts, MongoDB may refuse the other's insert.
        .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .compose(created -> guard(mongo.findOne(COUNTERS, COUNTER, new JsonObject().put("epoch", 1).put("seq", 1))))
        .map(counter -> {
          LOG.info("Change sequence ready: epoch {}, {} changes so far", counter.getString("epoch"),
              counter.getLong("seq"));
          return counter.getString("epoch");
        });
  }

  public Future<Change> create(JsonObject newIncident) {
    Instant now = now();
    Incident incident = new Incident(
        UUID.randomUUID().toString(),
        newIncident.getString("channel", Incident.DEFAULT_CHANNEL),
        newIncident.getString("title").trim(),
        newIncident.getString("message", ""),
        newIncident.getString("severity"),
        newIncident.getString("status", Incident.DEFAULT_STATUS),
        now,
        now,
        1);
    return stamped(seq -> guard(mongo.insert(COLLECTION, IncidentDocuments.toDocument(incident, seq)))
        .map(id -> new Change(incident, seq)));
  }

  public Future<Incident> find(String id) {
    return guard(mongo.findOne(COLLECTION, new JsonObject().put("_id", id), IncidentDocuments.FIELDS))
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
    Future<List<JsonObject>> documents = guard(mongo.findWithOptions(COLLECTION, filter, options));
    Future<Long> total = guard(mongo.count(COLLECTION, filter));
    return Future.all(documents, total).map(both -> new Page(
        documents.result().stream().map(IncidentDocuments::fromDocument).toList(), total.result()));
  }

  /**
   * Sets the status unless it already is that status. With {@code expectedVersion} the change applies only to that
   * version, so a client cannot overwrite a change it has not seen.
   */
  public Future<Update> changeStatus(String id, String status, Optional<Integer> expectedVersion) {
    return update(id, current -> {
      if (expectedVersion.isPresent() && expectedVersion.get() != current.version()) {
        throw new HubException(ErrorCode.VERSION_CONFLICT, "Incident '" + current.id() + "' is at version "
            + current.version() + ", not " + expectedVersion.get() + "; reload it and try again");
      }
      return current.status().equals(status) ? Optional.empty() : Optional.of(current.withStatus(status));
    });
  }

  /**
   * Changes a stored incident; every write path that changes an existing incident goes through here. {@code change}
   * gets the incident as stored and returns its new state, or nothing when there is nothing to change (or throws a
   * {@link HubException} to refuse). The new state is stored as the next version with the next number of the change
   * sequence, only if no other write changed the incident meanwhile; when one did, {@code change} is applied again to
   * what is stored now. So an incident's versions take increasing numbers, and a socket that gets its changes in
   * sequence order gets them in version order.
   */
  public Future<Update> update(String id, Function<Incident, Optional<Incident>> change) {
    return update(id, change, 1);
  }

  private Future<Update> update(String id, Function<Incident, Optional<Incident>> change, int attempt) {
    return find(id).compose(current -> {
      Optional<Incident> changed = change.apply(current);
      if (changed.isEmpty()) {
        return Future.succeededFuture(new Update(current, Optional.empty()));
      }
      Incident next = changed.get().nextVersion(now());
      return stamped(seq -> replaceIfUnchanged(current.version(), next, seq))
          .map(stored -> new Update(next, Optional.of(stored)))
          .recover(failure -> {
            if (!(failure instanceof ConcurrentChange)) {
              return Future.failedFuture(failure);
            }
            if (attempt == MAX_UPDATE_ATTEMPTS) {
              return Future.failedFuture(new HubException(ErrorCode.VERSION_CONFLICT, "Incident '" + id
                  + "' changed " + attempt + " times while this change was being applied; reload it and try again"));
            }
            return update(id, change, attempt + 1);
          });
    });
  }

  private Future<Change> replaceIfUnchanged(int storedVersion, Incident next, long seq) {
    JsonObject fields = IncidentDocuments.toDocument(next, seq);
    fields.remove("_id");
    JsonObject unchanged = new JsonObject().put("_id", next.id()).put("version", storedVersion);
    return guard(mongo.updateCollection(COLLECTION, unchanged, new JsonObject().put("$set", fields)))
        .compose(result -> result.getDocMatched() == 1
            ? Future.succeededFuture(new Change(next, seq))
            : Future.failedFuture(new ConcurrentChange()));
  }

  /**
   * The one write path for a change: takes the next number of the change sequence and lets {@code write} store it with
   * the change. A number whose write fails (or loses a race) is reported as skipped, so that no hub waits for it.
   */
  private <T> Future<T> stamped(LongFunction<Future<T>> write) {
    return nextSeq().compose(seq -> write.apply(seq).onFailure(failure -> skipped.accept(seq)));
  }

  /**
   * Takes the next number. The counter document is read as it was before the increment and the increment added here:
   * MongoDB returns either state atomically, but the embedded development store can hand two concurrent callers the
   * same document after the update (see the README's notes on the change sequence), never the same one before it.
   */
  private Future<Long> nextSeq() {
    JsonObject increment = new JsonObject()
        .put("$inc", new JsonObject().put("seq", 1L))
        .put("$setOnInsert", new JsonObject().put("epoch", newEpoch()));
    return guard(mongo.findOneAndUpdateWithOptions(COUNTERS, COUNTER, increment,
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

  @Override
  public Future<Long> head() {
    return guard(mongo.findOne(COUNTERS, COUNTER, new JsonObject().put("seq", 1)))
        .map(counter -> counter == null ? 0L : counter.getLong("seq"));
  }

  @Override
  public Future<List<Change>> changesAfter(Collection<String> channels, long after, long upTo, int limit) {
    JsonObject filter = new JsonObject().put("seq", new JsonObject().put("$gt", after).put("$lte", upTo));
    anyOf(filter, "channel", List.copyOf(channels));
    FindOptions options = new FindOptions()
        .setFields(IncidentDocuments.FIELDS)
        .setSort(SEQUENCE_ORDER)
        .setLimit(limit);
    return guard(mongo.findWithOptions(COLLECTION, filter, options))
        .map(documents -> documents.stream().map(IncidentDocuments::changeFromDocument).toList());
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
    return guard(mongo.aggregate(COLLECTION, pipeline).collect(Collectors.toList()))
        .map(groups -> groups.stream().map(IncidentRepository::channelSummary).toList());
  }

  public Future<Void> ping() {
    return guard(mongo.runCommand("ping", new JsonObject().put("ping", 1))).mapEmpty();
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

  /** 16 random hex digits, drawn when a store's counter is created. */
  private static String newEpoch() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static boolean isDuplicateKey(Throwable failure) {
    return failure instanceof MongoServerException server
        && ErrorCategory.fromErrorCode(server.getCode()) == ErrorCategory.DUPLICATE_KEY;
  }

  private static IndexModel index(String name, JsonObject keys) {
    return new IndexModel(keys, new IndexOptions().name(name));
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

  /** The incident as a change request left it, and the change stored, if anything changed (else no event is sent). */
  public record Update(Incident incident, Optional<Change> change) {}

  /** Another write changed the incident between reading it and writing the change. */
  private static final class ConcurrentChange extends RuntimeException {
    ConcurrentChange() {
      super("the incident changed meanwhile", null, false, false);
    }
  }
}
