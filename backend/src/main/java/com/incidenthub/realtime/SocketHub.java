package com.incidenthub.realtime;

import com.incidenthub.incident.Change;
import com.incidenthub.incident.ChangeLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport: owns every WebSocket of one verticle instance and is the only writer to them. It consumes every change
 * from the event bus, puts the changes back into sequence order ({@link ChangeSequencer}), and writes each to the
 * sockets whose {@link Subscription} wants it; it answers client messages ({@link Protocol}), replays what a resuming
 * client missed from the store ({@link ChangeLog}), fills in from the store what the event bus did not bring
 * ({@link PositionCheck}), pings, and closes sockets that stop reading.
 */
public final class SocketHub {
  private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
  private static final short GOING_AWAY = 1001;
  private static final short POLICY_VIOLATION = 1008;
  private static final short SERVICE_RESTART = 1012;
  private static final short TRY_AGAIN_LATER = 1013;
  private static final int WRITE_QUEUE_MAX_BYTES = 256 * 1024;
  private static final int REMEMBERED_INCIDENTS = 10_000;
  /** How long a change waits for a missing number before the hub gives the number up (see {@link ChangeSequencer}). */
  static final long HOLD_MILLIS = 1000;
  /** Changes held for one resuming socket, beyond the replay itself, before it counts as too slow. */
  private static final int MAX_HELD_WHILE_RESUMING = 10_000;

  private final Vertx vertx;
  private final Duration pingInterval;
  private final SocketLimits limits;
  private final ChangeLog store;
  private final String epoch;
  private final int resumeMaxEvents;
  private final AtomicInteger nodeSockets;
  private final HubMetrics metrics;
  private final DeliveryNotices notices;
  private final PositionCheck positionCheck;
  private final Set<SocketSession> sessions = new HashSet<>();
  private final SubscriptionIndex<SocketSession> index = new SubscriptionIndex<>();
  /** The newest version sent of recently changed incidents: a late change older than that is not sent. */
  private final Map<String, Integer> deliveredVersions = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > REMEMBERED_INCIDENTS;
    }
  };
  /** Changes that arrived before the store's head was read; they go through the sequencer once it exists. */
  private List<IncidentEvents.Event> early = new ArrayList<>();
  private ChangeSequencer<IncidentEvents.Event> sequencer;
  private MessageConsumer<String> consumer;
  private long pingTimer;
  private long holdTimer = -1;
  /** Whether the last fill from the store filled anything in, and no check since found nothing missing. */
  private boolean filling;
  /** How many changes were filled in since {@code filling} began. */
  private long filledSinceStart;
  /** How many changes the current fill gave each socket: more than {@code RESUME_MAX_EVENTS} closes it. */
  private final Map<SocketSession, Integer> filledThisRun = new HashMap<>();

  /**
   * @param epoch the store's epoch, part of every cursor
   * @param nodeSockets the open sockets of every hub of this node, for /health
   * @param metrics     what the hub counts, for whoever exports it
   * @param positionCheck how often the hub compares its position with the store's
   * @param notices     what the node's hubs log once for all of them
   */
  public SocketHub(Vertx vertx, Duration pingInterval, SocketLimits limits, ChangeLog store, String epoch,
      int resumeMaxEvents, AtomicInteger nodeSockets, HubMetrics metrics, Duration positionCheck,
      DeliveryNotices notices) {
    this.vertx = vertx;
    this.pingInterval = pingInterval;
    this.limits = limits;
    this.store = store;
    this.epoch = epoch;
    this.resumeMaxEvents = resumeMaxEvents;
    this.nodeSockets = nodeSockets;
    this.metrics = metrics;
    this.notices = notices;
    this.positionCheck = new PositionCheck(vertx, store, positionCheck, HOLD_MILLIS, resumeMaxEvents,
        new PositionCheck.Hub() {
          @Override
          public long released() {
            return sequencer.released();
          }

          @Override
          public void beginFill(long storeHead) {
            filledThisRun.clear();
          }

          @Override
          public void fill(List<Change> changes, long upTo) {
            fillIn(changes, upTo);
          }

          @Override
          public void caughtUp() {
            stoppedFilling();
          }
        });
  }

  /** Consumes first, then reads the store's head, so that no change published in between is missed. */
  public Future<Void> start() {
    consumer = IncidentEvents.consume(vertx.eventBus(), epoch, this::onChange, this::onSkip,
        foreign -> notices.foreignEpoch(foreign, epoch));
    pingTimer = vertx.setPeriodic(pingInterval.toMillis(), tick -> pingAll());
    return consumer.completion().compose(registered -> store.head()).map(head -> {
      sequencer = new ChangeSequencer<>(head, now(), HOLD_MILLIS);
      List<IncidentEvents.Event> arrived = early;
      early = null;
      arrived.forEach(this::onChange);
      positionCheck.start();
      return null;
    });
  }

  public Future<Void> stop() {
    vertx.cancelTimer(pingTimer);
    vertx.cancelTimer(holdTimer);
    positionCheck.stop();
    stoppedFilling();
    return consumer.unregister();
  }

  SocketLimits limits() {
    return limits;
  }

  /**
   * Takes over an upgraded socket; with {@code since} it resumes after that cursor, else it is live from now.
   * {@code release} runs once when it is gone; {@code sink} is where the changes' shared frames go.
   */
  void accept(ServerWebSocket socket, SharedFrame.Sink sink, List<String> channels, Optional<String> since,
      Runnable release) {
    SocketSession session = new SocketSession(socket, sink, limits.messageRates().get(), release);
    socket.setWriteQueueMaxSize(WRITE_QUEUE_MAX_BYTES);
    socket.textMessageHandler(text -> onMessage(session, text));
    socket.binaryMessageHandler(binary -> {
      if (withinMessageRate(session)) {
        session.offer(Protocol.error("Only JSON text frames are understood"));
      }
    });
    socket.pongHandler(pong -> session.alive());
    socket.exceptionHandler(failure -> LOG.debug("WebSocket {} failed", session.remote(), failure));
    socket.closeHandler(closed -> remove(session, "closed"));
    // The HTTP server's graceful shutdown signals every connection; a socket is told to go elsewhere and resume.
    socket.shutdownHandler(shutdown -> {
      remove(session, "server shutting down");
      socket.close(GOING_AWAY, "Server shutting down; reconnect and resume");
    });
    sessions.add(session);
    nodeSockets.incrementAndGet();
    metrics.socketOpened();
    LOG.info("WebSocket connected from {} to {}{}; {} open", session.remote(), channels,
        since.map(cursor -> " resuming after " + cursor).orElse(""), sessions.size());
    subscribe(session, channels, since);
  }

  // ---- client messages -----------------------------------------------------------------------------------------

  private void onMessage(SocketSession session, String text) {
    if (!withinMessageRate(session)) {
      return;
    }
    session.alive();
    Protocol.Request request = Protocol.parse(text);
    if (request instanceof Protocol.Ping) {
      session.offer(Protocol.pong());
    } else if (session.resuming()) {
      session.queue(request);
    } else {
      handle(session, request);
    }
  }

  /** False for a closed socket, and for one that just went over its message rate, which this closes. */
  private boolean withinMessageRate(SocketSession session) {
    if (!sessions.contains(session)) {
      return false;
    }
    if (session.withinMessageRate()) {
      return true;
    }
    LOG.warn("WebSocket {} sent messages faster than its rate allows; closing it with {}", session.remote(),
        POLICY_VIOLATION);
    remove(session, "too many messages");
    session.socket().close(POLICY_VIOLATION, "Too many messages");
    return false;
  }

  private void handle(SocketSession session, Protocol.Request request) {
    if (request instanceof Protocol.Subscribe subscribe) {
      int after = ChannelList.afterSubscribing(session.subscription().channels(), subscribe.channels()).size();
      if (after > limits.maxChannels()) {
        session.offer(Protocol.error("LIMIT_EXCEEDED", "A socket may follow at most " + limits.maxChannels()
            + " channels; this subscribe would make it " + after + ", so nothing was changed"));
        return;
      }
      subscribe(session, subscribe.channels(), subscribe.since());
    } else if (request instanceof Protocol.Unsubscribe unsubscribe) {
      reindex(session, subscription -> subscription.remove(unsubscribe.channels()));
      session.offer(Protocol.subscribed(session.subscription().channels(), cursor(sequencer.released())));
    } else if (request instanceof Protocol.Invalid invalid) {
      session.offer(Protocol.error(invalid.reason()));
    } else {
      session.offer(Protocol.pong());
    }
  }

  private void subscribe(SocketSession session, List<String> channels, Optional<String> since) {
    long from = sequencer.released();
    Subscription before = session.subscription().copy();
    reindex(session, subscription -> subscription.add(channels, from));
    if (since.isEmpty()) {
      session.offer(Protocol.subscribed(session.subscription().channels(), cursor(from)));
      return;
    }
    session.beginResume();
    replay(channels, before, from, since.get())
        .onComplete(replay -> resumed(session, channels, from, since.get(), replay));
  }

  /**
   * What the client missed: for every incident in {@code channels} whose last change took a number after the cursor
   * and up to {@code from} (this hub's position), its latest version; changes after {@code from} reach the socket
   * live. A channel the socket already followed is replayed only up to where it became live on it, since the socket
   * has every later change of it. Empty when completeness cannot be promised: the cursor is foreign or ahead of the
   * store, or more than {@code RESUME_MAX_EVENTS} incidents changed.
   */
  private Future<Optional<List<Change>>> replay(List<String> channels, Subscription before, long from, String since) {
    Optional<Cursor> cursor = Cursor.decode(since).filter(decoded -> decoded.epoch().equals(epoch));
    if (cursor.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    long after = cursor.get().seq();
    if (after >= from) {
      // Another node's hub may be ahead of this one; only a cursor ahead of the store itself was never issued.
      return (after == from ? Future.succeededFuture(from) : store.head())
          .map(head -> after <= head ? Optional.of(List.<Change>of()) : Optional.<List<Change>>empty());
    }
    List<String> query = channels.contains(ChannelList.EVERY_CHANNEL) ? List.of() : channels;
    return store.changesAfter(query, after, from, resumeMaxEvents + 1).map(changes -> {
      if (changes.size() > resumeMaxEvents) {
        return Optional.empty();
      }
      return Optional.of(changes.stream()
          .filter(change -> change.seq() <= before.liveAfter(change.incident().channel()).orElse(from))
          .toList());
    });
  }

  private void resumed(SocketSession session, List<String> channels, long from, String since,
      AsyncResult<Optional<List<Change>>> replay) {
    if (!sessions.contains(session)) {
      return;
    }
    if (replay.failed()) {
      LOG.warn("Could not read the changes a resuming WebSocket {} missed; it is told to re-read: {}",
          session.remote(), replay.cause().getMessage());
    }
    Optional<List<Change>> changes = replay.succeeded() ? replay.result() : Optional.empty();
    List<String> frames = new ArrayList<>();
    Map<String, Integer> versions = new HashMap<>();
    if (changes.isPresent()) {
      long after = Cursor.decode(since).orElseThrow().seq();
      // The client has every change up to its cursor: nothing up to there is sent again.
      session.subscription().advance(channels, after);
      frames.add(Protocol.resumed(session.subscription().channels(), cursor(after), true));
      for (Change change : changes.get()) {
        frames.add(Protocol.replayed(change, epoch));
        versions.put(change.incident().id(), change.incident().version());
      }
    } else {
      frames.add(Protocol.resumed(session.subscription().channels(), cursor(from), false));
    }
    session.replay(frames, versions);
    metrics.resumed(changes.isPresent());
    LOG.info("WebSocket {} resumed after {}: {}", session.remote(), since,
        changes.map(replayed -> "recovered, " + replayed.size() + " changes replayed").orElse("not recovered"));
    catchUp(session);
  }

  private void catchUp(SocketSession session) {
    if (!sessions.contains(session) || !session.writeCaughtUp(() -> catchUp(session))) {
      return;
    }
    for (Protocol.Request request : session.endResume()) {
      if (session.resuming()) {
        session.queue(request);
      } else {
        handle(session, request);
      }
    }
  }

  // ---- changes -------------------------------------------------------------------------------------------------

  private void onChange(IncidentEvents.Event event) {
    if (sequencer == null) {
      early.add(event);
      return;
    }
    release(offer(event), Set.of());
  }

  /** The changes {@code event} releases; a late one's frame carries the hub's position instead of its number. */
  private List<IncidentEvents.Event> offer(IncidentEvents.Event event) {
    long position = sequencer.released();
    List<IncidentEvents.Event> released = sequencer.offer(event.seq(), event, now());
    if (!released.isEmpty() && released.get(0).seq() <= position) {
      // A late change (its number had been given up): its frame carries the hub's position, not its own number, so
      // that a client's last cursor never goes back and a resume does not send again what came after it.
      return List.of(released.get(0).withFrame(Protocol.withCursor(released.get(0).frame(),
          cursor(sequencer.released()))));
    }
    return released;
  }

  private void onSkip(long seq) {
    if (sequencer != null) {
      release(sequencer.skip(seq), Set.of());
    }
  }

  /**
   * Changes the position check read from the store, complete up to {@code upTo}: released with whatever the event bus
   * brought, in order, exactly as if the bus had brought them; a copy the bus brings later finds its number released
   * and is dropped.
   */
  private void fillIn(List<Change> changes, long upTo) {
    long position = sequencer.released();
    Set<IncidentEvents.Event> fromStore = Collections.newSetFromMap(new IdentityHashMap<>());
    List<IncidentEvents.Event> released = new ArrayList<>();
    SortedMap<Long, IncidentEvents.Event> ahead = new TreeMap<>();
    for (Change change : changes) {
      IncidentEvents.Event event = IncidentEvents.Event.of(change, epoch);
      if (change.seq() > position) {
        ahead.put(change.seq(), event);
        fromStore.add(event);
      } else {
        // Released while the store was read; or given up before, and then this is its late arrival.
        List<IncidentEvents.Event> late = offer(event);
        released.addAll(late);
        fromStore.addAll(late);
      }
    }
    released.addAll(sequencer.fill(ahead, upTo));
    int filled = (int) released.stream().filter(fromStore::contains).count();
    if (filled > 0) {
      if (!filling) {
        filling = true;
        filledSinceStart = 0;
        notices.startedFilling(position, upTo);
      }
      filledSinceStart += filled;
      metrics.filled(filled);
    }
    release(released, fromStore);
  }

  private void stoppedFilling() {
    if (filling) {
      filling = false;
      notices.stoppedFilling(filledSinceStart);
    }
  }

  /** Delivers {@code events} in order; those in {@code fromStore} were filled in from the store. */
  private void release(List<IncidentEvents.Event> events, Set<IncidentEvents.Event> fromStore) {
    events.forEach(event -> deliver(event, fromStore.contains(event)));
    OptionalLong deadline = sequencer.deadline();
    if (deadline.isPresent() && holdTimer == -1) {
      holdTimer = vertx.setTimer(Math.max(1, deadline.getAsLong() - now()), fired -> {
        holdTimer = -1;
        fillOverdue();
      });
    }
  }

  /**
   * A change has waited the hold for a number before it: the missing numbers are read from the store (the event bus
   * may have lost their changes), and those it has no change for are given up. Should the store not answer, they are
   * given up all the same, so that the hold stays bounded.
   */
  private void fillOverdue() {
    OptionalLong overdue = sequencer.holdOver(now());
    if (overdue.isEmpty()) {
      release(sequencer.expire(now()), Set.of());
      return;
    }
    long from = sequencer.released();
    long upTo = overdue.getAsLong();
    store.changesAfter(List.of(), from, upTo, resumeMaxEvents).onComplete(read -> {
      if (read.failed()) {
        LOG.debug("Could not read the changes after {} from the store; giving their numbers up", from, read.cause());
        release(sequencer.expire(now()), Set.of());
        return;
      }
      List<Change> changes = read.result();
      fillIn(changes, ChangeLog.completeUpTo(changes, upTo, resumeMaxEvents));
    });
  }

  /**
   * Writes one change to every socket that wants it: the fan-out step, and the only place a change is written. A
   * socket that a fill would give more than {@code RESUME_MAX_EVENTS} changes is closed instead (1012), so that its
   * client resumes and is told to re-read.
   */
  private void deliver(IncidentEvents.Event event, boolean filled) {
    Integer delivered = deliveredVersions.get(event.incidentId());
    if (delivered != null && delivered >= event.version()) {
      return; // a late change older than one already sent
    }
    deliveredVersions.put(event.incidentId(), event.version());
    List<SocketSession> tooSlow = new ArrayList<>();
    List<SocketSession> missedTooMuch = new ArrayList<>();
    int[] written = {0};
    SharedFrame frame = new SharedFrame(event.frame());
    index.forEachSubscriber(event.channel(), session -> {
      if (!session.subscription().wants(event.channel(), event.seq())) {
        return;
      }
      if (filled && filledThisRun.merge(session, 1, Integer::sum) > resumeMaxEvents) {
        missedTooMuch.add(session);
      } else if (session.resuming()) {
        if (!session.hold(event, resumeMaxEvents + MAX_HELD_WHILE_RESUMING)) {
          tooSlow.add(session);
        }
      } else if (session.offer(frame)) {
        written[0]++;
      } else {
        tooSlow.add(session);
      }
    });
    frame.release();
    metrics.delivered(written[0]);
    tooSlow.forEach(this::closeSlow);
    if (!missedTooMuch.isEmpty()) {
      closeMissedTooMuch(missedTooMuch);
    }
  }

  // ---- liveness and bookkeeping --------------------------------------------------------------------------------

  private void closeSlow(SocketSession session) {
    LOG.warn("WebSocket {} stopped reading (write queue full); closing it with {}", session.remote(), TRY_AGAIN_LATER);
    remove(session, "too slow");
    metrics.slowConsumerClosed();
    session.socket().close(TRY_AGAIN_LATER, "Too slow: the write queue is full");
  }

  private void closeMissedTooMuch(List<SocketSession> missedTooMuch) {
    LOG.warn("Closing {} WebSocket{} with {}: each missed more than RESUME_MAX_EVENTS={} changes, more than a fill "
        + "from the store sends; their clients resume, and re-read", missedTooMuch.size(),
        missedTooMuch.size() == 1 ? "" : "s", SERVICE_RESTART, resumeMaxEvents);
    for (SocketSession session : missedTooMuch) {
      remove(session, "missed too many changes");
      session.socket().close(SERVICE_RESTART, "Missed more than " + resumeMaxEvents + " changes; resume and re-read");
    }
  }

  private void pingAll() {
    List<SocketSession> dead = sessions.stream().filter(session -> !session.ping()).toList();
    dead.forEach(session -> {
      LOG.info("WebSocket {} did not answer a ping within {} s; closing it", session.remote(), pingInterval.toSeconds());
      remove(session, "unresponsive");
      session.socket().close();
    });
  }

  private void remove(SocketSession session, String reason) {
    if (sessions.remove(session)) {
      nodeSockets.decrementAndGet();
      metrics.socketClosed();
      index.remove(session, session.subscription().channels());
      filledThisRun.remove(session);
      session.release();
      LOG.info("WebSocket {} disconnected ({}); {} open", session.remote(), reason, sessions.size());
    }
  }

  private void reindex(SocketSession session, Consumer<Subscription> change) {
    index.remove(session, session.subscription().channels());
    change.accept(session.subscription());
    index.add(session, session.subscription().channels());
  }

  private Cursor cursor(long seq) {
    return new Cursor(epoch, seq);
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
