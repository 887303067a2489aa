package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.incidenthub.incident.Change;
import com.incidenthub.incident.Incident;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.LostEvents;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Connected sockets miss nothing when the event bus loses a change: every hub checks the store's position and fills in
 * what it did not receive. The event bus is made to lose events ({@link LostEvents}); the store has every change.
 */
@DisplayName("Live completeness: what the event bus loses, the store fills in")
class LiveCompletenessTest {
  private static final int RESUME_MAX_EVENTS = 3;
  private static RunningHub hub;

  @BeforeAll
  static void start() {
    hub = RunningHub.start(Map.of("POSITION_CHECK_SECONDS", "1",
        "RESUME_MAX_EVENTS", Integer.toString(RESUME_MAX_EVENTS)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  @DisplayName("a change stored without its event being published reaches every subscribed socket, once, in order")
  void storedButNotPublished() {
    String channel = RunningHub.freshChannel("unpublished");
    List<TestSocket> sockets = List.of(hub.connect("/ws?channels=" + channel).afterGreeting(),
        hub.connect("/ws?channels=" + channel).afterGreeting(),
        hub.connect("/ws?channels=elsewhere-" + channel + "," + channel).afterGreeting());
    List<JsonObject> lost;
    try (LostEvents unpublished = LostEvents.publishedBy(hub)) {
      lost = List.of(hub.create(channel, "lost 1"), hub.create(channel, "lost 2"));
      for (TestSocket socket : sockets) {
        assertEquals(lost, List.of(incidentOf(socket.next()), incidentOf(socket.next())));
      }
    }
    JsonObject live = hub.create(channel, "published");
    for (TestSocket socket : sockets) {
      assertEquals(live, incidentOf(socket.next()));
      assertEquals(List.of(), socket.drain());
      socket.close();
    }
  }

  @Test
  @DisplayName("a change the store filled in that the event bus then brings late reaches no socket twice")
  void lateBusCopyIsDropped() {
    String channel = RunningHub.freshChannel("late-copy");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    LostEvents delayed = LostEvents.publishedBy(hub);
    JsonObject filled = hub.create(channel, "filled in first");
    JsonObject frame = socket.next();
    assertEquals(filled, incidentOf(frame));

    delayed.deliverLate();
    delayed.close();
    JsonObject marker = hub.create(channel, "marker");

    JsonObject next = socket.next();
    assertEquals(marker, incidentOf(next), "after the filled-in change: " + next);
    assertEquals(List.of(), socket.drain());
    socket.close();
  }

  @Test
  @DisplayName("a number burned by a writer that died does not stall the changes after it while the bus loses them")
  void burnedNumberDoesNotStall() {
    String channel = RunningHub.freshChannel("burned");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    try (LostEvents unpublished = LostEvents.publishedBy(hub)) {
      long burned = hub.takeSeqAndDie();
      JsonObject after = hub.create(channel, "after the burned number");

      JsonObject frame = socket.next();
      assertEquals(after, incidentOf(frame));
      assertEquals(burned + 1, seqOf(frame));
    }
    socket.close();
  }

  @Test
  @DisplayName("a change published after its number was given up carries the hub's position, not its own number")
  void lateChangeCarriesTheHubsPosition() {
    String channel = RunningHub.freshChannel("late-cursor");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    long givenUp = hub.takeSeqAndDie();
    hub.create(channel, "after the gap");
    String position = socket.next().getString("cursor");

    // The writer of the given-up number was slow, not dead: its change is published now.
    Instant at = Instant.now();
    Incident late = new Incident("late-" + givenUp, channel, "late", "", "high", "open", at, at, 1,
        Incident.ANONYMOUS, Incident.ANONYMOUS, 1, Optional.empty(), Optional.empty());
    new IncidentEvents(hub.nodeBus(), position.substring(0, position.indexOf('.'))).changed(new Change(late, givenUp));

    JsonObject frame = socket.next();
    assertEquals(late.toJson(), incidentOf(frame));
    assertEquals(position, frame.getString("cursor"));
    socket.close();
  }

  @Test
  @DisplayName("a change of another store's epoch is not delivered, and the node warns once")
  void foreignEpoch() {
    String channel = RunningHub.freshChannel("foreign");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    try (CapturedLog log = CapturedLog.of(DeliveryNotices.class, Level.WARN)) {
      Instant at = Instant.now();
      IncidentEvents otherStore = new IncidentEvents(hub.nodeBus(), "00000000000000ff");
      for (int i = 1; i <= 3; i++) {
        otherStore.changed(new Change(new Incident("foreign-" + i, channel, "of another store", "", "high", "open",
            at, at, 1, Incident.ANONYMOUS, Incident.ANONYMOUS, 1, Optional.empty(), Optional.empty()), i));
      }
      JsonObject marker = hub.create(channel, "marker");

      assertEquals(marker, incidentOf(socket.next()));
      assertEquals(List.of(), socket.drain());
      assertEquals(List.of("The event bus brought a change of another store (epoch 00000000000000ff; this node's "
          + "store has epoch " + hubEpoch() + "): a node of this cluster uses another database. Its changes are not "
          + "delivered here, nor this node's there; give every node of a cluster the same MONGO_URI and MONGO_DB. "
          + "Further such changes are dropped silently"),
          log.await(1, line -> true).stream().map(ILoggingEvent::getFormattedMessage).toList());
    }
    socket.close();
  }

  @Test
  @DisplayName("a socket that would need more than RESUME_MAX_EVENTS filled in is closed with 1012, then resumes")
  void tooMuchToFill() {
    String channel = RunningHub.freshChannel("too-much");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket elsewhere = hub.connect("/ws?channels=other-" + channel).afterGreeting();
    List<JsonObject> created;
    try (LostEvents unpublished = LostEvents.publishedBy(hub)) {
      created = IntStream.range(0, RESUME_MAX_EVENTS + 2).mapToObj(i -> hub.create(channel, "missed " + i)).toList();

      String cursor = null;
      for (JsonObject incident : created.subList(0, RESUME_MAX_EVENTS)) {
        JsonObject frame = socket.next();
        assertEquals(incident, incidentOf(frame));
        cursor = frame.getString("cursor");
      }
      assertEquals(1012, socket.awaitClose());
      assertEquals("Missed more than 3 changes; resume and re-read", socket.raw().closeReason());

      TestSocket resumed = hub.connect("/ws?channels=" + channel + "&since=" + cursor);
      assertEquals(true, resumed.next().getBoolean("recovered"));
      assertEquals(created.subList(RESUME_MAX_EVENTS, created.size()),
          List.of(incidentOf(resumed.next()), incidentOf(resumed.next())));
      resumed.close();
    }
    JsonObject marker = hub.create("other-" + channel, "marker");
    assertEquals(marker, incidentOf(elsewhere.next()));
    elsewhere.close();
  }

  private static String hubEpoch() {
    String cursor = hub.connect("/ws?channels=epoch").next().getString("cursor");
    return cursor.substring(0, cursor.indexOf('.'));
  }

  private static JsonObject incidentOf(JsonObject frame) {
    return frame.getJsonObject("incident");
  }

  private static long seqOf(JsonObject frame) {
    String cursor = frame.getString("cursor");
    return Long.parseLong(cursor.substring(cursor.indexOf('.') + 1));
  }
}
