package com.incidenthub.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's accounting, fed the frames the hub sends. Two channels, four sockets: sockets 0 and 2 listen
 * to channel 0 (even creates), sockets 1 and 3 to channel 1 (odd creates). Two nodes: sockets 0 and 1 are on
 * node 0, sockets 2 and 3 on node 1; create {@code seq} goes to node {@code seq % 2} unless a test says otherwise.
 */
class FanoutLedgerTest {

  private static final String RUN = "r1";
  private static final String[] CHANNELS = {"lt-r1-0", "lt-r1-1"};
  private static final int[] SOCKET_CHANNEL = {0, 1, 0, 1};
  private static final int[] SOCKET_NODE = {0, 0, 1, 1};

  private final FanoutLedger ledger = new FanoutLedger(RUN, CHANNELS, SOCKET_CHANNEL, SOCKET_NODE, 2, 8);

  /** Sends create {@code seq} at {@code sentNanos} and has the hub answer 201 at {@code createdNanos}. */
  private void create(int seq, long sentNanos, long createdNanos) {
    send(seq, sentNanos);
    ledger.created(seq, createdNanos);
  }

  private void send(int seq, long sentNanos) {
    ledger.sent(seq, seq % 2, sentNanos);
  }

  /** The hub's event for create {@code seq} (sent at {@code sentNanos}), as one socket receives it. */
  private void deliver(int socket, int seq, long sentNanos, long receivedNanos) {
    deliverFrame(socket, frame(ledger.title(seq, sentNanos), CHANNELS[seq % CHANNELS.length]), receivedNanos);
  }

  private void deliverFrame(int socket, String frame, long receivedNanos) {
    ledger.onMessage(socket, frame, receivedNanos);
  }

  private static String frame(String title, String channel) {
    JsonObject incident = new JsonObject().put("id", "i-" + title.hashCode()).put("title", title)
        .put("severity", "low").put("status", "open").put("channel", channel).put("version", 1);
    return new JsonObject().put("type", "incident.created").put("incident", incident).encode();
  }

  @Test
  @DisplayName("each create received once by every socket of its channel: nothing lost, pending or wrong")
  void complete() {
    for (int seq = 0; seq < 4; seq++) {
      create(seq, 100 + seq, 200 + seq);
    }
    for (int seq = 0; seq < 4; seq++) {
      for (int socket = 0; socket < SOCKET_CHANNEL.length; socket++) {
        if (SOCKET_CHANNEL[socket] == seq % 2) {
          deliver(socket, seq, 100 + seq, 1_000_000 + seq);
        }
      }
    }
    JsonObject books = ledger.toJson();
    assertEquals(8, books.getLong("expected"));
    assertEquals(8, books.getLong("received"));
    assertEquals(0, books.getLong("lost"));
    assertEquals(0, ledger.pending());
    assertEquals(0, ledger.duplicates());
    assertEquals(0, ledger.outOfOrder());
    assertEquals(0, ledger.receiveErrors());
    assertEquals(8, ledger.delivered());
  }

  @Test
  @DisplayName("a delivery that never arrives is lost, and pending until the run ends")
  void lost() {
    create(0, 100, 200);
    create(1, 110, 210);
    deliver(0, 0, 100, 5_000);
    deliver(1, 1, 110, 5_000);
    deliver(3, 1, 110, 5_000);

    JsonObject books = ledger.toJson();
    assertEquals(4, books.getLong("expected"));
    assertEquals(3, books.getLong("received"));
    assertEquals(1, books.getLong("lost"));
    assertEquals(1, ledger.pending());
  }

  @Test
  @DisplayName("a create not yet answered is expected by nobody: its deliveries are not pending")
  void unansweredCreateIsNotExpected() {
    send(0, 100);
    assertEquals(0, ledger.expected());
    assertEquals(0, ledger.pending());
  }

  @Test
  @DisplayName("the same delivery twice on one socket is one duplicate, and received once")
  void duplicate() {
    create(0, 100, 200);
    deliver(0, 0, 100, 5_000);
    deliver(0, 0, 100, 6_000);
    deliver(2, 0, 100, 5_000);

    JsonObject books = ledger.toJson();
    assertEquals(1, books.getLong("duplicates"));
    assertEquals(2, books.getLong("received"));
    assertEquals(0, books.getLong("lost"));
    assertEquals(2, ledger.delivered());
  }

  @Test
  @DisplayName("a create received after a later one that was sent after its 201 is out of order")
  void outOfOrder() {
    create(0, 100, 150);
    create(2, 200, 250); // sent after create 0 was answered: the hub must deliver 0 first
    deliver(0, 2, 200, 1_000);
    deliver(0, 0, 100, 1_100);

    JsonObject books = ledger.toJson();
    assertEquals(1, books.getLong("outOfOrder"));
    assertEquals(0, books.getLong("concurrentReorders"));
    assertEquals(2, books.getLong("received"));
  }

  @Test
  @DisplayName("creates in flight at the same time may cross: a concurrent reorder, not out of order")
  void concurrentReorder() {
    send(0, 100);
    send(2, 120); // sent before create 0 was answered
    ledger.created(0, 150);
    ledger.created(2, 160);
    deliver(0, 2, 120, 1_000);
    deliver(0, 0, 100, 1_100);

    JsonObject books = ledger.toJson();
    assertEquals(0, books.getLong("outOfOrder"));
    assertEquals(1, books.getLong("concurrentReorders"));
  }

  @Test
  @DisplayName("an event on a socket of another channel is misrouted, not delivered")
  void misrouted() {
    create(1, 100, 200);
    deliver(0, 1, 100, 1_000); // create 1 belongs to channel 1; socket 0 listens to channel 0

    JsonObject books = ledger.toJson();
    assertEquals(1, books.getLong("misrouted"));
    assertEquals(0, books.getLong("received"));
    assertEquals(1, ledger.receiveErrors());
  }

  @Test
  @DisplayName("an event naming another channel than the create's is misrouted")
  void wrongChannelName() {
    create(0, 100, 200);
    deliverFrame(0, frame(ledger.title(0, 100), "lt-r1-1"), 1_000);

    assertEquals(1, ledger.toJson().getLong("misrouted"));
    assertEquals(0, ledger.delivered());
  }

  @Test
  @DisplayName("deliveries of a create that failed are counted apart and as receive errors")
  void ofFailedCreate() {
    send(0, 100);
    ledger.createFailed(0);
    deliver(0, 0, 100, 1_000);

    JsonObject books = ledger.toJson();
    assertEquals(0, books.getLong("expected"));
    assertEquals(1, books.getLong("ofFailedCreates"));
    assertEquals(1, ledger.receiveErrors());
  }

  @Test
  @DisplayName("another run's incident on the socket is foreign: neither delivered nor an error")
  void foreign() {
    deliverFrame(0, frame("lt-other g0 t100", CHANNELS[0]), 1_000);
    deliverFrame(0, frame("a dashboard user's incident", CHANNELS[0]), 1_000);

    JsonObject books = ledger.toJson();
    assertEquals(2, books.getLong("foreign"));
    assertEquals(0, ledger.receiveErrors());
    assertEquals(0, ledger.delivered());
  }

  @Test
  @DisplayName("an error from the hub, or a frame that is not JSON, is a receive error")
  void errorsAndGarbage() {
    deliverFrame(0, "{\"type\":\"error\",\"code\":\"BAD_MESSAGE\",\"message\":\"no\"}", 1_000);
    deliverFrame(0, "not json", 1_000);
    deliverFrame(0, "{\"type\":\"pong\"}", 1_000);
    deliverFrame(0, "{\"type\":\"incident.surprise\"}", 1_000);

    JsonObject books = ledger.toJson();
    assertEquals(1, books.getJsonObject("serverErrors").getLong("BAD_MESSAGE"));
    assertEquals(1, books.getLong("unparseable"));
    assertEquals(1, books.getJsonObject("otherTypes").getLong("incident.surprise"));
    assertEquals(2, ledger.receiveErrors());
  }

  @Test
  @DisplayName("a sequence number beyond the run's creates is unparseable, not a crash")
  void seqOutOfRange() {
    deliverFrame(0, frame(ledger.title(8, 100), CHANNELS[0]), 1_000);
    deliverFrame(0, frame(ledger.title(-2, 100), CHANNELS[0]), 1_000);

    assertEquals(2, ledger.toJson().getLong("unparseable"));
  }

  @Test
  @DisplayName("latency is receipt minus the send time the title carries, once per first delivery")
  void latency() {
    create(0, 1_000_000, 1_500_000);
    deliver(0, 0, 1_000_000, 2_000_000);  // 1 ms
    deliver(2, 0, 1_000_000, 3_000_000);  // 2 ms
    deliver(2, 0, 1_000_000, 90_000_000); // a duplicate: not timed

    JsonObject latency = ledger.latency.toJsonMillis();
    assertEquals(2, latency.getLong("count"));
    assertEquals(1.0, latency.getDouble("p50"));
    assertEquals(2.0, latency.getDouble("max"));
    assertEquals(3_000_000, ledger.lastDeliveryNanos());
  }

  @Test
  @DisplayName("a replayed delivery after a resume counts once per socket, apart, and stays out of the latencies")
  void replayedDeliveries() {
    create(0, 100, 200);
    create(2, 102, 202);
    deliver(0, 0, 100, 1_000_100);
    String replayed = new JsonObject(frame(ledger.title(2, 102), CHANNELS[0])).put("replayed", true).encode();
    deliverFrame(0, replayed, 9_000_000_000L);
    deliverFrame(0, replayed, 9_000_000_001L);

    JsonObject books = ledger.toJson();
    assertEquals(1, books.getLong("replayed"));
    assertEquals(1, ledger.duplicates());
    assertEquals(1, ledger.latency.toJsonMillis().getLong("count"));
  }

  @Test
  @DisplayName("a create nobody answered is expected by nobody: its deliveries are neither received nor wrong")
  void unansweredCreate() {
    create(0, 100, 200);
    send(2, 110);
    ledger.createUnanswered(2);
    deliver(0, 0, 100, 1_000);
    deliver(2, 0, 100, 1_000);
    deliver(0, 2, 110, 1_000); // the node stored and published it before it died

    JsonObject books = ledger.toJson();
    assertEquals(2, books.getLong("expected"));
    assertEquals(2, books.getLong("received"));
    assertEquals(0, books.getLong("lost"));
    assertEquals(1, books.getLong("ofUnansweredCreates"));
    assertEquals(0, books.getLong("ofFailedCreates"));
    assertEquals(0, ledger.receiveErrors());
    assertEquals(0, ledger.pending());
    assertEquals(1, ledger.unanswered());
  }

  @Test
  @DisplayName("the books per node say how much each node's sockets lost, which sockets, and from which create on")
  void lostPerNode() {
    for (int seq = 0; seq < 6; seq++) {
      create(seq, 100 + seq, 200 + seq);
    }
    for (int seq = 0; seq < 6; seq++) {
      deliver(seq % 2, seq, 100 + seq, 1_000); // node 0's sockets get everything
    }
    deliver(2, 0, 100, 1_000); // node 1's socket 2 misses creates 2 and 4; socket 3 misses 1, 3 and 5

    assertEquals(0, ledger.lostOn(0));
    assertEquals(5, ledger.lostOn(1));
    JsonObject node0 = ledger.nodeJson(0);
    assertEquals(2, node0.getInteger("sockets"));
    assertEquals(6, node0.getLong("expected"));
    assertEquals(6, node0.getLong("received"));
    assertEquals(0, node0.getInteger("socketsWithLosses"));
    assertEquals(new JsonArray(), node0.getJsonArray("worstSockets"));
    JsonObject node1 = ledger.nodeJson(1);
    assertEquals(6, node1.getLong("expected"));
    assertEquals(1, node1.getLong("received"));
    assertEquals(5, node1.getLong("lost"));
    assertEquals(2, node1.getInteger("socketsWithLosses"));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("socket", 3).put("lost", 3L).put("firstLostCreate", 1))
            .add(new JsonObject().put("socket", 2).put("lost", 2L).put("firstLostCreate", 2)),
        node1.getJsonArray("worstSockets"));
  }

  @Test
  @DisplayName("a duplicate is booked on the node of the socket that received it twice")
  void duplicatePerNode() {
    create(1, 100, 200);
    deliver(3, 1, 100, 1_000);
    deliver(3, 1, 100, 2_000);
    deliver(1, 1, 100, 1_000);

    assertEquals(0, ledger.nodeJson(0).getLong("duplicates"));
    assertEquals(1, ledger.nodeJson(1).getLong("duplicates"));
  }

  @Test
  @DisplayName("a node marked down no longer holds up the wait for pending deliveries, but its losses stay booked")
  void nodeDown() {
    create(0, 100, 200);
    deliver(0, 0, 100, 1_000);
    assertEquals(1, ledger.pending());

    ledger.nodeDown(1);

    assertEquals(0, ledger.pending());
    assertEquals(1, ledger.lostOn(1));
    assertTrue(ledger.nodeJson(1).getBoolean("down"));
    assertFalse(ledger.nodeJson(0).getBoolean("down"));
  }

  @Test
  @DisplayName("during a cut only deliveries that crossed nodes, of creates sent while it lasted, are timed apart")
  void crossNodeDuringCut() {
    create(0, 1_000_000, 1_100_000); // before the cut
    ledger.cutStarted(2_000_000);
    create(2, 2_000_000, 2_100_000); // during the cut, through node 0
    create(4, 3_000_000, 3_100_000);
    ledger.resent(4, 1); // node 0 refused it: node 1 took it
    ledger.cutEnded(4_000_000);
    create(6, 4_000_000, 4_100_000); // after the heal

    deliver(2, 0, 1_000_000, 9_000_000);      // crossed, but sent before the cut
    deliver(0, 2, 2_000_000, 2_500_000);      // same node
    deliver(2, 2, 2_000_000, 1_502_000_000);  // crossed during the cut: 1.5 s
    deliver(0, 4, 3_000_000, 1_003_000_000);  // crossed from node 1 during the cut: 1 s
    deliver(2, 4, 3_000_000, 3_500_000);      // same node (node 1)
    deliver(0, 6, 4_000_000, 9_000_000);      // sent after the heal

    JsonObject cut = ledger.crossNodeDuringCut.toJsonMillis();
    assertEquals(2, cut.getLong("count"));
    assertEquals(1_500.0, cut.getDouble("max"), 1.5); // HdrHistogram: three significant digits
    assertEquals(6, ledger.latency.toJsonMillis().getLong("count"));
  }
}
