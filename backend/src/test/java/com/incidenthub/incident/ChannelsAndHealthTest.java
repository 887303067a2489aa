package com.incidenthub.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /channels and GET /health")
class ChannelsAndHealthTest {
  private RunningHub hub;

  @BeforeEach
  void start() {
    hub = RunningHub.start();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  @DisplayName("/channels counts each channel's incidents by status, sorted by name, with the newest creation time")
  void countsPerChannel() {
    JsonObject zulu = hub.create("zulu", "z1");
    JsonObject alpha1 = hub.create("alpha", "a1");
    JsonObject alpha2 = hub.create("alpha", "a2");
    JsonObject alpha3 = hub.create("alpha", "a3");
    hub.patch("/incidents/" + alpha2.getString("id"), new JsonObject().put("status", "acknowledged"));
    hub.patch("/incidents/" + alpha3.getString("id"), new JsonObject().put("status", "resolved"));

    HttpResponse<Buffer> response = hub.get("/channels");

    assertEquals(200, response.statusCode());
    String alphaNewest = List.of(alpha1, alpha2, alpha3).stream().map(incident -> incident.getString("createdAt"))
        .max(String::compareTo).orElseThrow();
    assertEquals(new JsonArray()
            .add(new JsonObject().put("name", "alpha").put("total", 3).put("open", 1).put("acknowledged", 1)
                .put("resolved", 1).put("lastIncidentAt", alphaNewest))
            .add(new JsonObject().put("name", "zulu").put("total", 1).put("open", 1).put("acknowledged", 0)
                .put("resolved", 0).put("lastIncidentAt", zulu.getString("createdAt"))),
        response.bodyAsJsonObject().getJsonArray("data"));
  }

  @Test
  @DisplayName("/channels of an empty store is an empty list")
  void noChannels() {
    assertEquals(new JsonObject().put("data", new JsonArray()), hub.get("/channels").bodyAsJsonObject());
  }

  @Test
  @DisplayName("/health is UP while MongoDB answers, counts open sockets, and says that auth is off")
  void healthUp() {
    TestSocket socket = hub.connect("/ws").afterGreeting();

    HttpResponse<Buffer> response = hub.get("/health");

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject().put("status", "UP").put("checks", new JsonObject().put("mongo", "UP"))
        .put("websockets", 1).put("auth", "off"), response.bodyAsJsonObject());
    socket.close();
  }

  @Test
  @DisplayName("when MongoDB goes away /health and writes answer 503 within 5 s, and both recover when it is back")
  void databaseOutage() {
    assumeTrue(hub.usesEmbeddedStore(), "needs the embedded store, which a test can stop");
    hub.stopStore();

    long started = System.nanoTime();
    HttpResponse<Buffer> health = hub.get("/health");
    HttpResponse<Buffer> create = hub.post("/incidents", new JsonObject().put("title", "t").put("severity", "low"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(503, health.statusCode());
    assertEquals(new JsonObject().put("status", "DOWN").put("checks", new JsonObject().put("mongo", "DOWN"))
        .put("websockets", 0).put("auth", "off"), health.bodyAsJsonObject());
    assertEquals(503, create.statusCode());
    assertEquals(new JsonObject().put("code", "DATABASE_UNAVAILABLE")
        .put("message", "The database is not reachable; try again shortly").put("details", new JsonArray()),
        create.bodyAsJsonObject().getJsonObject("error"));
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "two requests took " + took);

    hub.restartStore();

    assertEquals(200, hub.get("/health").statusCode());
    assertEquals(201, hub.post("/incidents", new JsonObject().put("title", "t").put("severity", "low")).statusCode());
  }
}
