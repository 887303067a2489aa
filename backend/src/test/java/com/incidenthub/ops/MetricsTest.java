package com.incidenthub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.incident.StoreOperation;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.Scrape;
import com.incidenthub.testing.TestSocket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each test has a service of its own, so that every count it reads is its own doing. */
@DisplayName("GET /metrics")
class MetricsTest {
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
  @DisplayName("shows every hub meter from the start, at 0, in Prometheus text")
  void declaredAtStart() {
    HttpResponse<Buffer> response = hub.get("/metrics");
    Scrape scrape = Scrape.of(hub);

    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("Content-Type"));
    assertEquals(0, scrape.value("hub_websocket_connections"));
    assertEquals(0, scrape.value("hub_deliveries_total"));
    assertEquals(0, scrape.value("hub_slow_consumer_closes_total"));
    assertEquals(0, scrape.value("hub_resumes_total{recovered=\"true\"}"));
    assertEquals(0, scrape.value("hub_resumes_total{recovered=\"false\"}"));
    for (StoreOperation operation : List.of(StoreOperation.CREATE, StoreOperation.FIND, StoreOperation.LIST,
        StoreOperation.COUNT, StoreOperation.CHANGE_STATUS, StoreOperation.CHANNEL_SUMMARIES)) {
      assertEquals(0, scrape.value(storeCount(operation)), operation.tag());
    }
    assertEquals(1, scrape.value(storeCount(StoreOperation.ENSURE_INDEXES)), "the indexes, ensured at start-up");
    assertTrue(scrape.hasMetric("jvm_memory_used_bytes"), "the JVM's meters");
  }

  @Test
  @DisplayName("moves with a delivery: sockets, deliveries, the MongoDB write, Vert.x's HTTP and event bus meters")
  void movesWithDelivery() {
    String channel = RunningHub.freshChannel("metrics");
    TestSocket first = hub.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket second = hub.connect("/ws?channels=" + channel).afterGreeting();
    TestSocket elsewhere = hub.connect("/ws?channels=" + RunningHub.freshChannel("metrics")).afterGreeting();

    hub.create(channel, "Counted");
    first.next();
    second.next();
    Scrape scrape = Scrape.of(hub);

    assertEquals(3, scrape.value("hub_websocket_connections"));
    assertEquals(2, scrape.value("hub_deliveries_total"));
    assertEquals(1, scrape.value(storeCount(StoreOperation.CREATE)));
    assertEquals(1, scrape.value("hub_mongo_operation_seconds_bucket{operation=\"create\",le=\"+Inf\"}"));
    assertEquals(1, scrape.value("vertx_http_server_requests_total{code=\"201\",method=\"POST\",route=\"/incidents\"}"));
    assertEquals(1, scrape.value("vertx_eventbus_published_total{side=\"local\"}"));
    first.close();
    second.close();
    elsewhere.close();
    awaitValue("hub_websocket_connections", 0);
  }

  @Test
  @DisplayName("labels name routes and operations, never an incident's id or a channel's name")
  void boundedLabels() {
    String channel = RunningHub.freshChannel("cardinality");
    JsonObject incident = hub.create(channel, "Labelled");
    hub.get("/incidents/" + incident.getString("id"));
    hub.get("/incidents/no-such-" + channel);
    hub.get("/nowhere-" + channel);

    String text = Scrape.of(hub).text();

    assertFalse(text.contains(incident.getString("id")), "an incident id in the labels");
    assertFalse(text.contains(channel), "a channel name in the labels");
    assertTrue(text.contains("route=\"/incidents/:id\""), "the route's template instead");
  }

  @Test
  @DisplayName("with METRICS_ENABLED=false there are none, and /metrics says so with 404")
  void turnedOff() {
    try (RunningHub without = RunningHub.start(Map.of("METRICS_ENABLED", "false"))) {
      HttpResponse<Buffer> response = without.get("/metrics");

      assertEquals(404, response.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", "NOT_FOUND")
              .put("message", "Metrics are turned off (METRICS_ENABLED=false)").put("details", new JsonArray())),
          response.bodyAsJsonObject());
      assertFalse(without.vertx.isMetricsEnabled());
    }
  }

  private static String storeCount(StoreOperation operation) {
    return "hub_mongo_operation_seconds_count{operation=\"" + operation.tag() + "\"}";
  }

  /** A socket's close reaches the server a moment after the client's close completes; scrape until it has. */
  private void awaitValue(String series, double expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    double value = Scrape.of(hub).value(series);
    while (value != expected && System.nanoTime() < deadline) {
      value = Scrape.of(hub).value(series);
    }
    assertEquals(expected, value, series);
  }
}
