package com.incidenthub.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.testing.Frames;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.Scrape;
import com.incidenthub.testing.SharedHubTest;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fan-out of incident events to subscribed sockets")
class FanOutTest extends SharedHubTest {
  private static final String SLOW_CLOSES = "hub_slow_consumer_closes_total";

  @Test
  @DisplayName("a created incident reaches subscribers as incident.created with the incident exactly as REST returned it")
  void createdEvent() {
    String channel = RunningHub.freshChannel("created");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    JsonObject incident = hub.create(channel, "Conveyor 3 jammed");

    assertEquals(new JsonObject().put("type", "incident.created").put("incident", incident),
        Frames.withoutCursor(socket.next()));
    socket.close();
  }

  @Test
  @DisplayName("a status change reaches subscribers as incident.updated with the new version")
  void updatedEvent() {
    String channel = RunningHub.freshChannel("updated");
    JsonObject incident = hub.create(channel, "Scanner offline");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    JsonObject changed = hub.patch("/incidents/" + incident.getString("id"), new JsonObject().put("status", "resolved"))
        .bodyAsJsonObject().getJsonObject("data");

    assertEquals(new JsonObject().put("type", "incident.updated").put("incident", changed),
        Frames.withoutCursor(socket.next()));
    socket.close();
  }

  @Test
  @DisplayName("a socket subscribed to channel a never receives an event of channel b")
  void channelFiltering() {
    String a = RunningHub.freshChannel("a");
    String b = RunningHub.freshChannel("b");
    TestSocket onA = hub.connect("/ws?channels=" + a).afterGreeting();
    TestSocket onB = hub.connect("/ws?channels=" + b).afterGreeting();

    JsonObject inB = hub.create(b, "only for b");
    JsonObject inA = hub.create(a, "only for a");

    // Events reach a socket in the order they were published, so had b's event reached onA it would come first.
    assertEquals(inA.getString("id"), onA.next().getJsonObject("incident").getString("id"));
    assertEquals(inB.getString("id"), onB.next().getJsonObject("incident").getString("id"));
    JsonObject marker = hub.create(b, "marker");
    assertEquals(marker.getString("id"), onB.next().getJsonObject("incident").getString("id"));
    onA.close();
    onB.close();
  }

  @Test
  @DisplayName("subscribing later adds a channel's events; unsubscribing stops them")
  void subscriptionChangesTakeEffect() {
    String a = RunningHub.freshChannel("later-a");
    String b = RunningHub.freshChannel("later-b");
    TestSocket socket = hub.connect("/ws?channels=" + a).afterGreeting();

    socket.send(new JsonObject().put("type", "subscribe").put("channels", List.of(b)));
    socket.next();
    JsonObject inB = hub.create(b, "now wanted");
    assertEquals(inB.getString("id"), socket.next().getJsonObject("incident").getString("id"));

    socket.send(new JsonObject().put("type", "unsubscribe").put("channels", List.of(b)));
    socket.next();
    hub.create(b, "no longer wanted");
    JsonObject inA = hub.create(a, "still wanted");
    assertEquals(inA.getString("id"), socket.next().getJsonObject("incident").getString("id"));
    socket.close();
  }

  @Test
  @DisplayName("100 sockets each receive the same event exactly once")
  void hundredSockets() {
    String channel = RunningHub.freshChannel("hundred");
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sockets.add(hub.connect(i % 2 == 0 ? "/ws" : "/ws?channels=" + channel).afterGreeting());
    }

    JsonObject incident = hub.create(channel, "for everyone");
    JsonObject marker = hub.create(channel, "marker");

    for (TestSocket socket : sockets) {
      assertEquals(incident.getString("id"), socket.next().getJsonObject("incident").getString("id"));
      assertEquals(marker.getString("id"), socket.next().getJsonObject("incident").getString("id"));
      socket.close();
    }
  }

  @Test
  @DisplayName("an event is sent only after the write is stored: the incident can be read the moment it arrives")
  void eventsFollowStoredWrites() {
    String channel = RunningHub.freshChannel("stored");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();

    List<Future<HttpResponse<Buffer>>> creates = IntStream.range(0, 20)
        .mapToObj(i -> hub.http.post("/incidents").sendJsonObject(new JsonObject()
            .put("title", "burst " + i).put("severity", "low").put("channel", channel)))
        .toList();

    for (int i = 0; i < creates.size(); i++) {
      JsonObject event = socket.next().getJsonObject("incident");
      HttpResponse<Buffer> stored = hub.get("/incidents/" + event.getString("id"));
      assertEquals(200, stored.statusCode());
      assertEquals(event, stored.bodyAsJsonObject().getJsonObject("data"));
    }
    RunningHub.await(Future.all(creates));
    socket.close();
  }

  @Test
  @DisplayName("the events of one incident arrive in version order, even when changes race")
  void versionOrder() {
    String channel = RunningHub.freshChannel("order");
    JsonObject incident = hub.create(channel, "flapping sensor");
    TestSocket socket = hub.connect("/ws?channels=" + channel).afterGreeting();
    List<String> statuses = List.of("acknowledged", "resolved", "open");

    List<Future<HttpResponse<Buffer>>> changes = IntStream.range(0, 30)
        .mapToObj(i -> hub.http.request(HttpMethod.PATCH, "/incidents/" + incident.getString("id"))
            .sendJsonObject(new JsonObject().put("status", statuses.get(i % 3))))
        .toList();
    RunningHub.await(Future.all(changes));
    int finalVersion = hub.get("/incidents/" + incident.getString("id")).bodyAsJsonObject().getJsonObject("data")
        .getInteger("version");

    int previous = 1;
    while (previous < finalVersion) {
      int version = socket.next().getJsonObject("incident").getInteger("version");
      assertTrue(version > previous, "version " + version + " arrived after " + previous);
      previous = version;
    }
    assertEquals(finalVersion, previous);
    socket.close();
  }

  @Test
  @DisplayName("a socket that stops reading is closed with 1013 while the others keep receiving everything")
  void slowConsumerIsClosed() {
    String channel = RunningHub.freshChannel("slow");
    TestSocket healthy = hub.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket stalled = hub.connect("/ws?channels=" + channel, new WebSocketClientOptions().setReceiveBufferSize(4096))
        .afterGreeting();
    stalled.raw().pause();
    String details = "d".repeat(2000);
    double closedBefore = Scrape.of(hub).value(SLOW_CLOSES);

    int created = 0;
    while (hub.get("/health").bodyAsJsonObject().getInteger("websockets") == 2) {
      assertTrue(created < 20_000, "the stalled socket was still open after " + created + " events");
      List<Future<HttpResponse<Buffer>>> batch = IntStream.range(0, 100)
          .mapToObj(i -> hub.http.post("/incidents").sendJsonObject(new JsonObject()
              .put("title", "load").put("severity", "low").put("channel", channel).put("message", details)))
          .toList();
      RunningHub.await(Future.all(batch));
      created += batch.size();
    }

    for (int i = 0; i < created; i++) {
      assertEquals("incident.created", healthy.next().getString("type"));
    }
    stalled.raw().resume();
    assertEquals(1013, stalled.awaitClose());
    assertEquals(closedBefore + 1, Scrape.of(hub).value(SLOW_CLOSES), "counted once in the metrics");
    healthy.close();
  }
}
