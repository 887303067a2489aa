package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The books of a fan-out run: which creates were sent and acknowledged, and which socket received which
 * incident, so that expected, lost, duplicate and out-of-order deliveries are counted exactly.
 *
 * <p>Create number {@code seq} goes to channel {@code seq % channels}; socket {@code s} listens to channel
 * {@code socketChannel[s]}. Each create therefore must reach exactly the sockets of its channel, once.
 * The title carries the run id, {@code seq} and the harness's {@link System#nanoTime()} taken just before
 * the POST was sent; harness and receiver are the same process, so receipt time minus that is the delivery
 * latency without any clock synchronisation.
 *
 * <p>Order: events of two creates that were in flight at the same time may legitimately arrive in either
 * order (the server publishes each one when its own write is acknowledged). An inversion counts as
 * out-of-order only when the earlier create had been answered with 201 before the later one was sent;
 * overlapping inversions are reported separately as {@code concurrentReorders}.
 */
final class FanoutLedger {

  private static final int PENDING = 0;
  private static final int CREATED = 1;
  private static final int FAILED = 2;
  private static final String CREATED_FRAME = "{\"type\":\"incident.created\"";
  private static final String REPLAYED = "\"replayed\":true";

  private final String titlePrefix;
  private final String[] channelNames;
  private final int[] socketChannel;
  private final int[] socketsPerChannel;
  private final int capacity;

  // Indexed by seq; written by the writer's event loop, read by every socket's.
  private final AtomicLongArray sentNanos;
  private final AtomicLongArray acknowledgedNanos;
  private final AtomicIntegerArray createState;
  private final AtomicIntegerArray deliveredPerCreate;

  // Indexed by socket; each touched only by that socket's event loop.
  private final BitSet[] seenBySocket;
  private final int[] highestSeqBySocket;

  private final AtomicLong expected = new AtomicLong();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder outOfOrder = new LongAdder();
  private final LongAdder concurrentReorders = new LongAdder();
  private final LongAdder misrouted = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder unparseable = new LongAdder();
  private final Map<String, LongAdder> otherTypes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> serverErrors = new ConcurrentHashMap<>();
  private final AtomicLong lastDeliveryNanos = new AtomicLong();
  final LatencyRecorder latency = new LatencyRecorder();

  FanoutLedger(String runId, String[] channelNames, int[] socketChannel, int capacity) {
    this.titlePrefix = "lt-" + runId + " ";
    this.channelNames = channelNames;
    this.socketChannel = socketChannel;
    this.capacity = capacity;
    this.socketsPerChannel = new int[channelNames.length];
    for (int channel : socketChannel) {
      socketsPerChannel[channel]++;
    }
    this.sentNanos = new AtomicLongArray(capacity);
    this.acknowledgedNanos = new AtomicLongArray(capacity);
    this.createState = new AtomicIntegerArray(capacity);
    this.deliveredPerCreate = new AtomicIntegerArray(capacity);
    this.seenBySocket = new BitSet[socketChannel.length];
    this.highestSeqBySocket = new int[socketChannel.length];
    for (int s = 0; s < socketChannel.length; s++) {
      seenBySocket[s] = new BitSet();
      highestSeqBySocket[s] = -1;
    }
  }

  int capacity() {
    return capacity;
  }

  int channelOf(int seq) {
    return seq % channelNames.length;
  }

  String channelName(int channel) {
    return channelNames[channel];
  }

  String title(int seq, long sendNanos) {
    return titlePrefix + "g" + seq + " t" + sendNanos;
  }

  // ---- writer side -------------------------------------------------------------------------------------

  void sent(int seq, long nanos) {
    sentNanos.set(seq, nanos);
  }

  void created(int seq, long nanos) {
    acknowledgedNanos.set(seq, nanos);
    createState.set(seq, CREATED);
    expected.addAndGet(socketsPerChannel[channelOf(seq)]);
  }

  void createFailed(int seq) {
    createState.set(seq, FAILED);
  }

  // ---- socket side -------------------------------------------------------------------------------------

  /**
   * Handles one socket message. Deliveries take a fast path that reads the title and channel straight from
   * the frame text: at tens of thousands of deliveries per second on two shared cores, a full JSON parse per
   * message would make the harness, not the hub, the thing being measured. Anything the fast path does not
   * recognise is parsed properly.
   */
  void onMessage(int socket, String text, long receivedNanos) {
    if (text.startsWith(CREATED_FRAME)) {
      String title = stringField(text, "\"title\":\"");
      String channel = stringField(text, "\"channel\":\"");
      if (title != null && channel != null && title.indexOf('\\') < 0) {
        onCreated(socket, title, channel, receivedNanos, text.contains(REPLAYED));
        return;
      }
    }
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      unparseable.increment();
      return;
    }
    String type = message.getString("type", "");
    switch (type) {
      case "incident.created" -> {
        JsonObject incident = message.getJsonObject("incident");
        onCreated(socket, incident == null ? null : incident.getString("title"),
            incident == null ? null : incident.getString("channel"), receivedNanos,
            Boolean.TRUE.equals(message.getValue("replayed")));
      }
      case "error" -> serverErrors.computeIfAbsent(message.getString("code", "?"), k -> new LongAdder()).increment();
      case "pong", "subscribed" -> { }
      default -> otherTypes.computeIfAbsent(type, k -> new LongAdder()).increment();
    }
  }

  /**
   * The raw value of a string field, or null. Only a quote that follows the key's own quote-colon-quote can
   * match, so an escaped look-alike inside another string ({@code \"title\":\"}) cannot.
   */
  private static String stringField(String text, String key) {
    int start = text.indexOf(key);
    if (start < 0) {
      return null;
    }
    start += key.length();
    int end = text.indexOf('"', start);
    return end < 0 ? null : text.substring(start, end);
  }

  /**
   * One delivery of a create to a socket. A replayed one (sent again to a socket that resumed after a planned
   * reconnect) counts like any other, once per socket slot, but its latency includes the time the socket was away,
   * so it is counted apart and kept out of the latency figures.
   */
  private void onCreated(int socket, String title, String eventChannel, long receivedNanos, boolean wasReplayed) {
    if (title == null || !title.startsWith(titlePrefix)) {
      foreign.increment(); // somebody else's incident on our channel: not ours to count
      return;
    }
    int seq;
    long sendNanos;
    try {
      int g = title.indexOf(" g", titlePrefix.length() - 1);
      int t = title.indexOf(" t", g + 2);
      seq = Integer.parseInt(title.substring(g + 2, t));
      sendNanos = Long.parseLong(title.substring(t + 2));
    } catch (RuntimeException e) {
      unparseable.increment();
      return;
    }
    if (seq < 0 || seq >= capacity) {
      unparseable.increment();
      return;
    }
    int channel = socketChannel[socket];
    if (channelOf(seq) != channel || !channelNames[channel].equals(eventChannel)) {
      misrouted.increment();
      return;
    }
    BitSet seen = seenBySocket[socket];
    int indexInChannel = seq / channelNames.length;
    if (seen.get(indexInChannel)) {
      duplicates.increment();
      return;
    }
    seen.set(indexInChannel);
    if (wasReplayed) {
      replayed.increment();
    } else {
      latency.record((receivedNanos - sendNanos) / 1_000);
    }
    deliveredPerCreate.incrementAndGet(seq);
    delivered.increment();
    lastDeliveryNanos.accumulateAndGet(receivedNanos, Math::max);

    int highest = highestSeqBySocket[socket];
    if (seq > highest) {
      highestSeqBySocket[socket] = seq;
    } else {
      // seq arrived after `highest` although it was sent before it. Send times grow with seq, so comparing
      // with the highest seen is enough to know whether any earlier arrival was sent after seq's 201.
      long acknowledged = acknowledgedNanos.get(seq);
      if (acknowledged != 0 && acknowledged <= sentNanos.get(highest)) {
        outOfOrder.increment();
      } else {
        concurrentReorders.increment();
      }
    }
  }

  // ---- results -----------------------------------------------------------------------------------------

  long expected() {
    return expected.get();
  }

  long delivered() {
    return delivered.sum();
  }

  /** Deliveries still missing for creates already answered with 201. */
  long pending() {
    return expected.get() - deliveredForCreated();
  }

  long lastDeliveryNanos() {
    return lastDeliveryNanos.get();
  }

  /** Deliveries of creates that got a 201; a delivery of a failed create is "unexpected" instead. */
  private long deliveredForCreated() {
    long sum = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) == CREATED) {
        sum += deliveredPerCreate.get(seq);
      }
    }
    return sum;
  }

  private long deliveredForNotCreated() {
    long sum = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) != CREATED) {
        sum += deliveredPerCreate.get(seq);
      }
    }
    return sum;
  }

  long replayed() {
    return replayed.sum();
  }

  long duplicates() {
    return duplicates.sum();
  }

  long outOfOrder() {
    return outOfOrder.sum();
  }

  /** Anything the sockets received that is wrong in itself: misrouted, unparseable, BAD_MESSAGE, ... */
  long receiveErrors() {
    long errors = misrouted.sum() + unparseable.sum() + deliveredForNotCreated();
    for (LongAdder adder : serverErrors.values()) {
      errors += adder.sum();
    }
    return errors;
  }

  JsonObject toJson() {
    long created = expected.get();
    long ok = deliveredForCreated();
    return new JsonObject()
        .put("expected", created)
        .put("received", ok)
        .put("lost", created - ok)
        .put("duplicates", duplicates.sum())
        .put("outOfOrder", outOfOrder.sum())
        .put("concurrentReorders", concurrentReorders.sum())
        .put("misrouted", misrouted.sum())
        .put("ofFailedCreates", deliveredForNotCreated())
        .put("unparseable", unparseable.sum())
        .put("foreign", foreign.sum())
        .put("replayed", replayed.sum())
        .put("serverErrors", SocketFleet.counts(serverErrors))
        .put("otherTypes", SocketFleet.counts(otherTypes));
  }
}
