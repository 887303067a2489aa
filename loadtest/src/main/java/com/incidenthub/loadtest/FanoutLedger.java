package com.incidenthub.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
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
 *
 * <p>Nodes: socket {@code s} lives on node {@code socketNode[s]}, and each create records the node that took it,
 * so that the books are kept per node too (which node's sockets lost what) and a delivery from one node to a
 * socket of another is known to have crossed the cluster. A create no node answered (the connection reset or
 * timed out: a node killed mid-request) is {@code unanswered}: it may or may not have been stored, so nobody
 * expects it and its deliveries are neither counted nor wrong. A node marked down no longer holds up the wait
 * for pending deliveries.
 */
final class FanoutLedger {

  private static final int PENDING = 0;
  private static final int CREATED = 1;
  private static final int FAILED = 2;
  private static final int UNANSWERED = 3;
  /** How many of a node's sockets with losses the books name, worst first. */
  private static final int WORST_SOCKETS = 5;
  private static final String CREATED_FRAME = "{\"type\":\"incident.created\"";
  private static final String REPLAYED = "\"replayed\":true";

  private final String titlePrefix;
  private final String[] channelNames;
  private final int[] socketChannel;
  private final int[] socketNode;
  private final int nodes;
  /** Indexed by {@code channel * nodes + node}. */
  private final int[] socketsPerChannelAndNode;
  private final int[] socketsPerChannel;
  private final int capacity;

  // Indexed by seq; written by the writer's event loop, read by every socket's.
  private final AtomicLongArray sentNanos;
  private final AtomicLongArray acknowledgedNanos;
  private final AtomicIntegerArray createState;
  private final AtomicIntegerArray createNode;
  /** Indexed by {@code seq * nodes + node}: deliveries of each create to the sockets of each node. */
  private final AtomicIntegerArray deliveredPerCreateAndNode;
  private final AtomicIntegerArray nodeDown;

  // Indexed by socket; each touched only by that socket's event loop.
  private final BitSet[] seenBySocket;
  private final int[] highestSeqBySocket;

  private final AtomicLong expected = new AtomicLong();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder[] duplicatesByNode;
  private final LongAdder outOfOrder = new LongAdder();
  private final LongAdder concurrentReorders = new LongAdder();
  private final LongAdder misrouted = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder unparseable = new LongAdder();
  private final Map<String, LongAdder> otherTypes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> serverErrors = new ConcurrentHashMap<>();
  private final AtomicLong lastDeliveryNanos = new AtomicLong();
  /** Creates sent from {@code cutFrom} (inclusive) to {@code cutUntil} (exclusive) were sent during a cut. */
  private volatile long cutFrom = Long.MAX_VALUE;
  private volatile long cutUntil = Long.MAX_VALUE;
  final LatencyRecorder latency = new LatencyRecorder();
  /** Deliveries that crossed from one node to another, of creates sent while the cluster links were cut. */
  final LatencyRecorder crossNodeDuringCut = new LatencyRecorder();

  /**
   * @param socketNode the node of each socket, 0 to {@code nodes - 1}
   * @param nodes      how many nodes the run spreads over
   */
  FanoutLedger(String runId, String[] channelNames, int[] socketChannel, int[] socketNode, int nodes, int capacity) {
    this.titlePrefix = "lt-" + runId + " ";
    this.channelNames = channelNames;
    this.socketChannel = socketChannel;
    this.socketNode = socketNode;
    this.nodes = nodes;
    this.capacity = capacity;
    this.socketsPerChannel = new int[channelNames.length];
    this.socketsPerChannelAndNode = new int[channelNames.length * nodes];
    for (int s = 0; s < socketChannel.length; s++) {
      socketsPerChannel[socketChannel[s]]++;
      socketsPerChannelAndNode[socketChannel[s] * nodes + socketNode[s]]++;
    }
    this.sentNanos = new AtomicLongArray(capacity);
    this.acknowledgedNanos = new AtomicLongArray(capacity);
    this.createState = new AtomicIntegerArray(capacity);
    this.createNode = new AtomicIntegerArray(capacity);
    this.deliveredPerCreateAndNode = new AtomicIntegerArray(Math.multiplyExact(capacity, nodes));
    this.nodeDown = new AtomicIntegerArray(nodes);
    this.duplicatesByNode = new LongAdder[nodes];
    for (int n = 0; n < nodes; n++) {
      duplicatesByNode[n] = new LongAdder();
    }
    this.seenBySocket = new BitSet[socketChannel.length];
    this.highestSeqBySocket = new int[socketChannel.length];
    // Sized up front: a BitSet that never grows can be read at the end while a late delivery still sets a bit.
    int perChannel = capacity / channelNames.length + 1;
    for (int s = 0; s < socketChannel.length; s++) {
      seenBySocket[s] = new BitSet(perChannel);
      highestSeqBySocket[s] = -1;
    }
  }

  int capacity() {
    return capacity;
  }

  int channelOf(int seq) {
    return seq % channelNames.length;
  }

  /**
   * The node create {@code seq} is first sent to: the creates of each channel take the nodes in turn, so that every
   * socket, whichever node it is on, gets its share of its channel's creates from each of the other nodes. (With
   * {@code seq % nodes}, an even number of channels would pin each channel's creates to the node of its sockets, and
   * nothing would cross the cluster.)
   */
  int nodeOf(int seq) {
    return seq / channelNames.length % nodes;
  }

  String channelName(int channel) {
    return channelNames[channel];
  }

  String title(int seq, long sendNanos) {
    return titlePrefix + "g" + seq + " t" + sendNanos;
  }

  // ---- writer side -------------------------------------------------------------------------------------

  /** Create {@code seq} left for {@code node} at {@code nanos}. */
  void sent(int seq, int node, long nanos) {
    createNode.set(seq, node);
    sentNanos.set(seq, nanos);
  }

  /** Create {@code seq} was refused by the node it went to and is sent to {@code node} instead. */
  void resent(int seq, int node) {
    createNode.set(seq, node);
  }

  void created(int seq, long nanos) {
    acknowledgedNanos.set(seq, nanos);
    createState.set(seq, CREATED);
    expected.addAndGet(socketsPerChannel[channelOf(seq)]);
  }

  void createFailed(int seq) {
    createState.set(seq, FAILED);
  }

  /** No answer came (reset, closed, timed out): the create may or may not be stored, so nobody expects it. */
  void createUnanswered(int seq) {
    createState.set(seq, UNANSWERED);
  }

  /** The node is gone (killed): its sockets' missing deliveries no longer count as pending. */
  void nodeDown(int node) {
    nodeDown.set(node, 1);
  }

  /** The cluster links are cut from now on: creates sent from now on are sent during the cut. */
  void cutStarted(long nanos) {
    cutUntil = Long.MAX_VALUE;
    cutFrom = nanos;
  }

  /** The links are back: creates sent from now on are no longer sent during the cut. */
  void cutEnded(long nanos) {
    cutUntil = nanos;
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
    int node = socketNode[socket];
    BitSet seen = seenBySocket[socket];
    int indexInChannel = seq / channelNames.length;
    if (seen.get(indexInChannel)) {
      duplicates.increment();
      duplicatesByNode[node].increment();
      return;
    }
    seen.set(indexInChannel);
    if (wasReplayed) {
      replayed.increment();
    } else {
      long micros = (receivedNanos - sendNanos) / 1_000;
      latency.record(micros);
      if (sendNanos >= cutFrom && sendNanos < cutUntil && createNode.get(seq) != node) {
        crossNodeDuringCut.record(micros);
      }
    }
    deliveredPerCreateAndNode.incrementAndGet(seq * nodes + node);
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

  /** Deliveries still missing for creates already answered with 201, on the nodes that are up. */
  long pending() {
    long missing = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) != CREATED) {
        continue;
      }
      int channel = channelOf(seq);
      for (int node = 0; node < nodes; node++) {
        if (nodeDown.get(node) == 0) {
          missing += socketsPerChannelAndNode[channel * nodes + node] - deliveredPerCreateAndNode.get(seq * nodes + node);
        }
      }
    }
    return missing;
  }

  long lastDeliveryNanos() {
    return lastDeliveryNanos.get();
  }

  /** Deliveries to the sockets of {@code node} (-1: of every node) of the creates that are in {@code state}. */
  private long deliveredIn(int state, int node) {
    long sum = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) != state) {
        continue;
      }
      for (int n = 0; n < nodes; n++) {
        if (node < 0 || n == node) {
          sum += deliveredPerCreateAndNode.get(seq * nodes + n);
        }
      }
    }
    return sum;
  }

  /** Deliveries the sockets of {@code node} should have had: every acknowledged create of their channels. */
  private long expectedOn(int node) {
    long sum = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) == CREATED) {
        sum += socketsPerChannelAndNode[channelOf(seq) * nodes + node];
      }
    }
    return sum;
  }

  /** Deliveries the sockets of {@code node} never got, of creates that were acknowledged. */
  long lostOn(int node) {
    return expectedOn(node) - deliveredIn(CREATED, node);
  }

  /** Deliveries of creates nobody acknowledged nor refused: a failed create's, or one still unanswered. */
  private long deliveredForNotCreated() {
    return deliveredIn(FAILED, -1) + deliveredIn(PENDING, -1);
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

  long unanswered() {
    long count = 0;
    for (int seq = 0; seq < capacity; seq++) {
      if (createState.get(seq) == UNANSWERED) {
        count++;
      }
    }
    return count;
  }

  /**
   * The books of one node's sockets: expected, received, lost and duplicates, how many sockets lost anything,
   * and the worst of them with the number of the first create each one missed.
   */
  JsonObject nodeJson(int node) {
    long expectedHere = expectedOn(node);
    long lostHere = expectedHere - deliveredIn(CREATED, node);
    JsonObject books = new JsonObject()
        .put("sockets", socketsOn(node))
        .put("down", nodeDown.get(node) == 1)
        .put("expected", expectedHere)
        .put("received", expectedHere - lostHere)
        .put("lost", lostHere)
        .put("duplicates", duplicatesByNode[node].sum());
    List<JsonObject> losing = lostHere == 0 ? List.of() : socketsWithLosses(node);
    return books.put("socketsWithLosses", losing.size())
        .put("worstSockets", new JsonArray(losing.stream()
            .sorted(Comparator.comparingLong((JsonObject socket) -> -socket.getLong("lost")))
            .limit(WORST_SOCKETS).toList()));
  }

  private int socketsOn(int node) {
    int count = 0;
    for (int s = 0; s < socketNode.length; s++) {
      count += socketNode[s] == node ? 1 : 0;
    }
    return count;
  }

  /** Every socket of the node that misses an acknowledged create: one pass over its channel's creates each. */
  private List<JsonObject> socketsWithLosses(int node) {
    List<JsonObject> losing = new ArrayList<>();
    int channels = channelNames.length;
    for (int s = 0; s < socketNode.length; s++) {
      if (socketNode[s] != node) {
        continue;
      }
      long lost = 0;
      int first = -1;
      for (int seq = socketChannel[s]; seq < capacity; seq += channels) {
        if (createState.get(seq) == CREATED && !seenBySocket[s].get(seq / channels)) {
          lost++;
          first = first < 0 ? seq : first;
        }
      }
      if (lost > 0) {
        losing.add(new JsonObject().put("socket", s).put("lost", lost).put("firstLostCreate", first));
      }
    }
    return losing;
  }

  JsonObject toJson() {
    long created = expected.get();
    long ok = deliveredIn(CREATED, -1);
    return new JsonObject()
        .put("expected", created)
        .put("received", ok)
        .put("lost", created - ok)
        .put("duplicates", duplicates.sum())
        .put("outOfOrder", outOfOrder.sum())
        .put("concurrentReorders", concurrentReorders.sum())
        .put("misrouted", misrouted.sum())
        .put("ofFailedCreates", deliveredForNotCreated())
        .put("ofUnansweredCreates", deliveredIn(UNANSWERED, -1))
        .put("unparseable", unparseable.sum())
        .put("foreign", foreign.sum())
        .put("replayed", replayed.sum())
        .put("serverErrors", SocketFleet.counts(serverErrors))
        .put("otherTypes", SocketFleet.counts(otherTypes));
  }
}
