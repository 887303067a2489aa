package com.incidenthub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.incidenthub.incident.StoreOperation;
import com.incidenthub.testing.RunningHub;
import com.incidenthub.testing.Scrape;
import com.incidenthub.testing.TestSocket;
import com.incidenthub.testing.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
    for (StoreOperation operation : List.of(StoreOperation.INSERT, StoreOperation.CHANGE, StoreOperation.NEXT_SEQ,
        StoreOperation.FIND, StoreOperation.HISTORY, StoreOperation.LIST, StoreOperation.COUNT,
        StoreOperation.CHANNEL_SUMMARIES, StoreOperation.CHANGES_AFTER, StoreOperation.RECLAIM_DEDUP_KEY)) {
      assertEquals(0, scrape.value(storeCount(operation)), operation.tag());
    }
    assertTrue(scrape.value(storeCount(StoreOperation.PREPARE)) > 0, "the indexes and the counter, at start-up");
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
    assertEquals(1, scrape.value(storeCount(StoreOperation.INSERT)));
    assertEquals(1, scrape.value(storeCount(StoreOperation.NEXT_SEQ)));
    assertEquals(1, scrape.value("hub_mongo_operation_seconds_bucket{operation=\"insert\",le=\"+Inf\"}"));
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
  @DisplayName("with METRICS_ENABLED=false /metrics says there are none, with 404")
  void turnedOff() {
    try (RunningHub without = RunningHub.start(Map.of("METRICS_ENABLED", "false"))) {
      HttpResponse<Buffer> response = without.get("/metrics");

      assertEquals(404, response.statusCode());
      assertEquals(new JsonObject().put("error", new JsonObject().put("code", "NOT_FOUND")
              .put("message", "Metrics are turned off (METRICS_ENABLED=false)").put("details", new JsonArray())),
          response.bodyAsJsonObject());
    }
  }

  @Test
  @DisplayName("with access tokens configured, only the admin role may scrape: 401 without a token, 403 below admin")
  void needsAdmin() {
    try (RunningHub guarded = RunningHub.start(TestTokens.settings())) {
      assertEquals(401, guarded.get("/metrics").statusCode());
      assertEquals(403, scrapeAs(guarded, TestTokens.OPERATOR).statusCode());
      HttpResponse<Buffer> admin = scrapeAs(guarded, TestTokens.ADMIN);

      assertEquals(200, admin.statusCode());
      assertTrue(admin.bodyAsString().contains("hub_deliveries_total 0.0"), "the scrape itself");
    }
  }

  private static HttpResponse<Buffer> scrapeAs(RunningHub hub, String token) {
    return RunningHub.await(hub.request(HttpMethod.GET, "/metrics").putHeader("Authorization", "Bearer " + token)
        .send());
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
