package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestStatsTest {

  @Test
  @DisplayName("the expected interval is wrk's: elapsed time over the requests per connection")
  void expectedInterval() {
    assertEquals(10_000, RestStats.expectedIntervalMicros(10.0, 4, 4_000));
    assertEquals(0, RestStats.expectedIntervalMicros(10.0, 4, 3));
  }

  @Test
  @DisplayName("a stall stands for the requests its connection would have sent: corrected, not raw, shows it")
  void coordinatedOmission() {
    RestStats stats = new RestStats();
    for (int i = 0; i < 99; i++) {
      stats.succeeded(RequestMix.Op.CREATE, 10);
    }
    stats.succeeded(RequestMix.Op.CREATE, 1_000); // one stall of 100 intervals

    JsonObject create = stats.toJson(1.0, 10).getJsonObject("byType").getJsonObject("create");
    JsonObject raw = create.getJsonObject("latencyMs");
    JsonObject corrected = create.getJsonObject("latencyMsCorrected");
    assertEquals(100, raw.getLong("count"));
    assertEquals(0.01, raw.getDouble("p99"));
    assertEquals(1.0, raw.getDouble("max"));
    // The stall of 1,000 µs adds the 99 requests that would have waited 990, 980, ... 10 µs behind it.
    assertEquals(199, corrected.getLong("count"));
    assertEquals(0.01, corrected.getDouble("p50"));
    assertEquals(0.81, corrected.getDouble("p90"));
    assertEquals(0.99, corrected.getDouble("p99"));
    assertEquals(1.0, corrected.getDouble("max"));
  }

  @Test
  @DisplayName("a failed request's latency counts too, so errors cannot flatter the p99")
  void failuresAreTimed() {
    RestStats stats = new RestStats();
    stats.succeeded(RequestMix.Op.LIST, 100);
    stats.failed(RequestMix.Op.LIST, 2_000, "status 500");

    JsonObject json = stats.toJson(1.0, 0);
    JsonObject list = json.getJsonObject("byType").getJsonObject("list");
    assertEquals(1, list.getLong("ok"));
    assertEquals(2, list.getJsonObject("latencyMs").getLong("count"));
    assertEquals(list.getJsonObject("latencyMs"), list.getJsonObject("latencyMsCorrected"));
    assertEquals(1, json.getJsonObject("errorsByStatus").getLong("list status 500"));
    assertEquals(1, json.getLong("failed"));
    assertEquals(2, json.getLong("requests"));
  }
}
