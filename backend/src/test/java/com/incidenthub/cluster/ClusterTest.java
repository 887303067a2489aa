package com.incidenthub.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Two clustered nodes (two Vert.x instances on Hazelcast, on 127.0.0.1) against one store. */
@DisplayName("Two clustered nodes")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static RunningHub a;
  private static RunningHub b;

  @BeforeAll
  static void start() {
    List<RunningHub> nodes = RunningHub.twoClustered(Map.of());
    a = nodes.get(0);
    b = nodes.get(1);
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  @Test
  @Order(1)
  @DisplayName("/health on each node reports both members")
  void healthCountsMembers() {
    for (RunningHub node : List.of(a, b)) {
      assertEquals(new JsonObject().put("members", 2),
          node.get("/health").bodyAsJsonObject().getJsonObject("cluster"));
    }
  }

  @Test
  @Order(2)
  @DisplayName("a change made through either node reaches the sockets of both, exactly once")
  void bothDirections() {
    String channel = RunningHub.freshChannel("both");
    TestSocket onA = a.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket onB = b.connect("/ws?channels=" + channel).afterGreeting();

    JsonObject viaA = a.create(channel, "through a");
    JsonObject viaB = b.create(channel, "through b");
    JsonObject marker = a.create(channel, "marker");

    for (TestSocket socket : List.of(onA, onB)) {
      assertEquals(viaA, socket.next().getJsonObject("incident"));
      assertEquals(viaB, socket.next().getJsonObject("incident"));
      assertEquals(marker, socket.next().getJsonObject("incident"));
      socket.close();
    }
  }

  @Test
  @Order(3)
  @DisplayName("concurrent changes of one incident through both nodes arrive with versions and cursors rising")
  void versionOrderAcrossNodes() {
    String channel = RunningHub.freshChannel("versions");
    TestSocket socket = a.connect("/ws?channels=" + channel).afterGreeting();
    JsonObject incident = b.create(channel, "flapping");
    List<String> statuses = List.of("acknowledged", "resolved", "open");

    List<Future<HttpResponse<Buffer>>> changes = IntStream.range(0, 30)
        .mapToObj(i -> (i % 2 == 0 ? a : b).http.patch("/incidents/" + incident.getString("id"))
            .sendJsonObject(new JsonObject().put("status", statuses.get(i % 3))))
        .toList();
    RunningHub.await(Future.all(changes));
    int finalVersion = a.get("/incidents/" + incident.getString("id")).bodyAsJsonObject().getJsonObject("data")
        .getInteger("version");

    // Two changes that race may store in the other order than they took their numbers: the one stored last is the
    // newer version, and the overtaken one is not sent after it. So versions rise, but may skip.
    int previousVersion = 0;
    long previousSeq = 0;
    while (previousVersion < finalVersion) {
      JsonObject frame = socket.next();
      int version = frame.getJsonObject("incident").getInteger("version");
      assertTrue(version > previousVersion, "version " + version + " after " + previousVersion);
      assertTrue(Frames.seqOf(frame) > previousSeq, "cursor " + frame.getString("cursor") + " after " + previousSeq);
      previousVersion = version;
      previousSeq = Frames.seqOf(frame);
    }
    socket.close();
  }

  @Test
  @Order(4)
  @DisplayName("a client that resumes on the other node with its last cursor gets every change it missed, once")
  void resumeOnTheOtherNode() {
    String channel = RunningHub.freshChannel("across");
    TestSocket onA = a.connect("/ws?channels=" + channel).afterGreeting();
    a.create(channel, "seen on a");
    String cursor = onA.next().getString("cursor");
    onA.close();
    List<JsonObject> missed = List.of(a.create(channel, "missed 1"), b.create(channel, "missed 2"));

    TestSocket onB = b.connect("/ws?channels=" + channel + "&since=" + cursor);

    assertEquals(true, onB.next().getBoolean("recovered"));
    for (JsonObject incident : missed) {
      JsonObject frame = onB.next();
      assertEquals(true, frame.getBoolean("replayed"));
      assertEquals(incident, frame.getJsonObject("incident"));
    }
    JsonObject live = a.create(channel, "live");
    JsonObject frame = onB.next();
    assertEquals(live, frame.getJsonObject("incident"));
    assertEquals(null, frame.getValue("replayed"));
    onB.close();
  }

  @Test
  @Order(5)
  @DisplayName("changes made through one node while a client resumes on the other arrive once each, in order")
  void replayLiveRaceAcrossNodes() {
    String channel = RunningHub.freshChannel("race");
    String cursor = a.connect("/ws?channels=" + channel).next().getString("cursor");
    List<JsonObject> incidents = IntStream.range(0, 10).mapToObj(i -> b.create(channel, "race " + i)).toList();

    List<Future<HttpResponse<Buffer>>> changes = new ArrayList<>();
    for (String status : List.of("acknowledged", "resolved")) {
      incidents.forEach(incident -> changes.add(a.http.patch("/incidents/" + incident.getString("id"))
          .sendJsonObject(new JsonObject().put("status", status))));
    }
    TestSocket socket = b.connect("/ws?channels=" + channel + "&since=" + cursor);
    RunningHub.await(Future.all(changes));

    assertEquals(true, socket.next().getBoolean("recovered"));
    Map<String, Integer> received = new HashMap<>();
    while (received.size() < incidents.size() || received.values().stream().anyMatch(version -> version < 3)) {
      JsonObject incident = socket.next().getJsonObject("incident");
      int previous = received.getOrDefault(incident.getString("id"), 0);
      assertTrue(incident.getInteger("version") > previous, incident + " after version " + previous);
      received.put(incident.getString("id"), incident.getInteger("version"));
    }
    JsonObject marker = a.create(channel, "marker");
    assertEquals(marker, socket.next().getJsonObject("incident"));
    socket.close();
  }

  @Test
  @Order(6)
  @DisplayName("when one node stops, its sockets are told to go (1001) and the other's keep receiving")
  void oneNodeStops() {
    String channel = RunningHub.freshChannel("stop");
    TestSocket onA = a.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket onB = b.connect("/ws?channels=" + channel).afterGreeting();
    a.create(channel, "before the stop");
    onA.next();
    String cursorOnB = onB.next().getString("cursor");

    b.stopNode();

    assertEquals(1001, onB.awaitClose());
    List<JsonObject> after = List.of(a.create(channel, "after 1"), a.create(channel, "after 2"));
    for (JsonObject incident : after) {
      assertEquals(incident, onA.next().getJsonObject("incident"));
    }
    TestSocket resumed = a.connect("/ws?channels=" + channel + "&since=" + cursorOnB);
    assertEquals(true, resumed.next().getBoolean("recovered"));
    for (JsonObject incident : after) {
      assertEquals(incident, resumed.next().getJsonObject("incident"));
    }
    a.awaitHealth(health -> health.getJsonObject("cluster").getInteger("members") == 1);
    onA.close();
    resumed.close();
  }
}
