package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest {

  private final LatencyRecorder recorder = new LatencyRecorder();

  @Test
  @DisplayName("percentiles are nearest-rank: 1..1000 µs give p50 0.5 ms, p90 0.9, p99 0.99, p99.9 0.999")
  void percentiles() {
    for (long micros = 1; micros <= 1_000; micros++) {
      recorder.record(micros);
    }
    JsonObject json = recorder.toJsonMillis();
    assertEquals(1_000, json.getLong("count"));
    assertEquals(0.5, json.getDouble("p50"));
    assertEquals(0.9, json.getDouble("p90"));
    assertEquals(0.99, json.getDouble("p99"));
    assertEquals(0.999, json.getDouble("p999"));
    assertEquals(1.0, json.getDouble("max"));
    assertEquals(0.501, json.getDouble("mean")); // 500.5 µs, rounded to whole microseconds
  }

  @Test
  @DisplayName("a large value is reported within 0.1 %, never below what was measured")
  void resolution() {
    recorder.record(123_456_789);
    double p99 = recorder.toJsonMillis().getDouble("p99");
    assertTrue(p99 >= 123_456.789 && p99 <= 123_456.789 * 1.001, "p99 " + p99);
  }

  @Test
  @DisplayName("an interval holds the values since the previous one; the total holds them all")
  void intervals() {
    for (int i = 0; i < 10; i++) {
      recorder.record(100);
    }
    assertEquals(10, recorder.interval().getTotalCount());
    for (int i = 0; i < 5; i++) {
      recorder.record(900);
    }
    Histogram second = recorder.interval();
    assertEquals(5, second.getTotalCount());
    assertEquals(0.9, LatencyRecorder.percentileMillis(second, 99));
    assertEquals(0, recorder.interval().getTotalCount());

    Histogram total = recorder.total();
    assertEquals(15, total.getTotalCount());
    assertEquals(0.1, LatencyRecorder.percentileMillis(total, 50));
    assertEquals(0.9, LatencyRecorder.percentileMillis(total, 99));
  }

  @Test
  @DisplayName("with nothing recorded every figure is zero")
  void empty() {
    JsonObject json = recorder.toJsonMillis();
    assertEquals(new JsonObject().put("count", 0L).put("p50", 0.0).put("p90", 0.0).put("p99", 0.0)
        .put("p999", 0.0).put("max", 0.0).put("mean", 0.0), json);
  }

  @Test
  @DisplayName("a negative duration (a clock read out of order) counts as zero")
  void negative() {
    recorder.record(-5);
    JsonObject json = recorder.toJsonMillis();
    assertEquals(1, json.getLong("count"));
    assertEquals(0.0, json.getDouble("max"));
  }
}
