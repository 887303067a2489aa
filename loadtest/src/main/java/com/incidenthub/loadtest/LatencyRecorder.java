package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe latency histogram in microseconds with log-linear buckets (about 1.6 % resolution).
 *
 * <p>Every event loop of the harness records into the same instance, so counts live in an
 * {@link AtomicLongArray}: recording is one atomic increment, with no lock and no allocation, which keeps
 * the recorder from becoming the bottleneck at tens of thousands of deliveries per second.
 */
final class LatencyRecorder {

  /** Values below 2^SUB_BITS get a bucket each; above, each power of two is split in HALF buckets. */
  private static final int SUB_BITS = 7;
  private static final int EXACT = 1 << SUB_BITS;
  private static final int HALF = EXACT / 2;
  private static final int BUCKETS = EXACT + (63 - SUB_BITS) * HALF;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong sum = new AtomicLong();
  private final AtomicLong max = new AtomicLong();

  void record(long micros) {
    long value = Math.max(0, micros);
    counts.incrementAndGet(indexOf(value));
    total.incrementAndGet();
    sum.addAndGet(value);
    max.accumulateAndGet(value, Math::max);
  }

  long count() {
    return total.get();
  }

  long maxMicros() {
    return max.get();
  }

  /**
   * The smallest bucket upper bound below which at least {@code quantile} of the values fall, capped at the
   * exact maximum (so a percentile never exceeds the max that was actually seen).
   */
  long percentileMicros(double quantile) {
    long n = total.get();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(upperBound(i), max.get());
      }
    }
    return max.get();
  }

  /** Latencies in milliseconds (three decimals): the unit the budgets are written in. */
  JsonObject toJsonMillis() {
    long n = total.get();
    return new JsonObject()
        .put("count", n)
        .put("p50", millis(percentileMicros(0.50)))
        .put("p90", millis(percentileMicros(0.90)))
        .put("p99", millis(percentileMicros(0.99)))
        .put("p999", millis(percentileMicros(0.999)))
        .put("max", millis(max.get()))
        .put("mean", n == 0 ? 0.0 : millis(sum.get() / n));
  }

  static double millis(long micros) {
    return Math.round(micros / 1000.0 * 1000.0) / 1000.0;
  }

  static int indexOf(long value) {
    if (value < EXACT) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int shift = exponent - (SUB_BITS - 1);
    int mantissa = (int) (value >>> shift); // in [HALF, EXACT)
    return EXACT + (exponent - SUB_BITS) * HALF + (mantissa - HALF);
  }

  static long upperBound(int index) {
    if (index < EXACT) {
      return index;
    }
    int exponent = (index - EXACT) / HALF + SUB_BITS;
    int mantissa = (index - EXACT) % HALF + HALF;
    int shift = exponent - (SUB_BITS - 1);
    return ((long) (mantissa + 1) << shift) - 1;
  }
}
