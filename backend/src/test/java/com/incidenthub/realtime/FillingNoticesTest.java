package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import com.incidenthub.testing.CapturedLog;
import com.incidenthub.testing.LostEvents;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.Scrape;
import com.incidenthub.testing.TestSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an operator sees of a fill from the store: one line when the node starts and one when it stops, a metric. */
@DisplayName("Filling in from the store: the log and the metric")
class FillingNoticesTest {

  @Test
  @DisplayName("one INFO line when the node starts filling in, one with the count when it stops, and the counter")
  void startAndStopLines() {
    try (RunningHub node = RunningHub.start(Map.of("POSITION_CHECK_SECONDS", "1", "HUB_INSTANCES", "2"));
        CapturedLog log = CapturedLog.of(DeliveryNotices.class, Level.INFO)) {
      String channel = RunningHub.freshChannel("notices");
      TestSocket socket = node.connect("/ws?channels=" + channel).afterGreeting();
      try (LostEvents unpublished = LostEvents.publishedBy(node)) {
        node.create(channel, "lost 1");
        node.create(channel, "lost 2");
        socket.next();
        socket.next();
      }
      node.create(channel, "published");
      socket.next();

      List<String> lines = log.await(2, line -> true).stream().map(line -> line.getFormattedMessage()).toList();
      assertEquals("Filling in from the store", lines.get(0).substring(0, lines.get(0).indexOf(':')));
      assertEquals("Stopped filling in from the store: 2 changes filled in; the event bus brings every change again",
          lines.get(1));
      assertEquals(2, lines.size());
      // Each of the node's two hubs filled both changes in, for its own sockets.
      assertEquals(4, Scrape.of(node).value("hub_filled_changes_total"));
      socket.close();
    }
  }
}
