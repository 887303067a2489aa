package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Per request type: latency, successes and failures (by status or exception) of a {@code rest} run. */
final class RestStats {

  private final Map<RequestMix.Op, LatencyRecorder> latency = new EnumMap<>(RequestMix.Op.class);
  private final Map<RequestMix.Op, LongAdder> ok = new EnumMap<>(RequestMix.Op.class);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final LongAdder failed = new LongAdder();

  RestStats() {
    for (RequestMix.Op op : RequestMix.Op.values()) {
      latency.put(op, new LatencyRecorder());
      ok.put(op, new LongAdder());
    }
  }

  void succeeded(RequestMix.Op op, long micros) {
    latency.get(op).record(micros);
    ok.get(op).increment();
    total.increment();
  }

  /** A failed request still took time; its latency is recorded too, so errors cannot flatter the p99. */
  void failed(RequestMix.Op op, long micros, String why) {
    latency.get(op).record(micros);
    errors.computeIfAbsent(op.label() + " " + why, k -> new LongAdder()).increment();
    failed.increment();
    total.increment();
  }

  long total() {
    return total.sum();
  }

  long failed() {
    return failed.sum();
  }

  long ok(RequestMix.Op op) {
    return ok.get(op).sum();
  }

  LatencyRecorder latency(RequestMix.Op op) {
    return latency.get(op);
  }

  /**
   * The interval at which one connection of a closed loop sends, as wrk computes it for its correction:
   * the elapsed time over the requests per connection. A request that took longer stands for the ones its
   * connection would have sent had the hub not stalled. 0 (no correction) when there are too few requests.
   */
  static long expectedIntervalMicros(double seconds, int connections, long requests) {
    long perConnection = requests / connections;
    return perConnection == 0 ? 0 : Math.round(seconds * 1e6 / perConnection);
  }

  /**
   * @param expectedIntervalMicros see {@link #expectedIntervalMicros}; the raw latencies go to
   *                               {@code latencyMs}, the corrected ones to {@code latencyMsCorrected}
   */
  JsonObject toJson(double seconds, long expectedIntervalMicros) {
    JsonObject byType = new JsonObject();
    for (RequestMix.Op op : RequestMix.Op.values()) {
      Histogram raw = latency.get(op).total();
      if (raw.getTotalCount() == 0) {
        continue;
      }
      byType.put(op.label(), new JsonObject()
          .put("ok", ok.get(op).sum())
          .put("perSecond", CreateWriter.round1(ok.get(op).sum() / seconds))
          .put("latencyMs", LatencyRecorder.toJsonMillis(raw))
          .put("latencyMsCorrected",
              LatencyRecorder.toJsonMillis(raw.copyCorrectedForCoordinatedOmission(expectedIntervalMicros))));
    }
    return new JsonObject()
        .put("requests", total.sum())
        .put("perSecond", CreateWriter.round1(total.sum() / seconds))
        .put("failed", failed.sum())
        .put("errorsByStatus", SocketFleet.counts(errors))
        .put("expectedIntervalMs", LatencyRecorder.millis(expectedIntervalMicros))
        .put("byType", byType);
  }
}
