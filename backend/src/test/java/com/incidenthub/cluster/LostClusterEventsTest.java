package com.incidenthub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.incidenthub.testing.LostEvents;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two clustered nodes on one store whose event bus loses every change that crosses between them, while the cluster
 * itself stays up: what a cluster link that resets with events in flight does. Each node fills in from the store.
 */
@DisplayName("Two clustered nodes whose event bus loses the changes between them")
class LostClusterEventsTest {
  private static RunningHub a;
  private static RunningHub b;

  @BeforeAll
  static void start() {
    List<RunningHub> nodes = RunningHub.twoClustered(Map.of("POSITION_CHECK_SECONDS", "1"));
    a = nodes.get(0);
    b = nodes.get(1);
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  @Test
  @DisplayName("the sockets of each node still get every change made through the other, once, in order")
  void bothWaysFromTheStore() {
    String channel = RunningHub.freshChannel("lost-between");
    TestSocket onA = a.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket onB = b.connect("/ws?channels=" + channel).afterGreeting();
    List<JsonObject> created;
    try (LostEvents lost = LostEvents.between(a, b)) {
      created = List.of(a.create(channel, "through a"), b.create(channel, "through b"), a.create(channel, "a again"));
      for (TestSocket socket : List.of(onA, onB)) {
        assertEquals(created, List.of(incidentOf(socket.next()), incidentOf(socket.next()),
            incidentOf(socket.next())));
      }
    }
    // The bus works again: nothing arrives twice, and what follows arrives live.
    JsonObject marker = b.create(channel, "marker");
    for (TestSocket socket : List.of(onA, onB)) {
      assertEquals(marker, incidentOf(socket.next()));
      assertEquals(List.of(), socket.drain());
      assertFalse(socket.isClosed());
      socket.close();
    }
  }

  private static JsonObject incidentOf(JsonObject frame) {
    return frame.getJsonObject("incident");
  }
}
