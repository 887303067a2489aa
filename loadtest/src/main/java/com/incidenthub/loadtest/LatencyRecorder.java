package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in microseconds on HdrHistogram: three significant digits (0.1 % resolution) over any range.
 *
 * <p>Every event loop of the harness records into the same instance through a {@link Recorder}, which is
 * wait-free for writers and allocates nothing per value. The reader (the progress thread) takes one interval
 * histogram a second, which is what the progress line's per-second p99 is computed from; every interval is
 * also added to the run's total, which is what the summary reports.
 */
final class LatencyRecorder {

  private static final int SIGNIFICANT_DIGITS = 3;

  private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
  private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
  private Histogram interval;

  void record(long micros) {
    recorder.recordValue(Math.max(0, micros));
  }

  /** The values recorded since the previous call (or since the start); they stay in {@link #total()}. */
  synchronized Histogram interval() {
    interval = recorder.getIntervalHistogram(interval);
    total.add(interval);
    return interval;
  }

  /** Every value recorded so far. The histogram is live: copy it before recording resumes, if need be. */
  synchronized Histogram total() {
    interval();
    return total;
  }

  /** Latencies in milliseconds (three decimals): the unit the budgets are written in. */
  JsonObject toJsonMillis() {
    return toJsonMillis(total());
  }

  static JsonObject toJsonMillis(Histogram histogram) {
    long n = histogram.getTotalCount();
    return new JsonObject()
        .put("count", n)
        .put("p50", percentileMillis(histogram, 50))
        .put("p90", percentileMillis(histogram, 90))
        .put("p99", percentileMillis(histogram, 99))
        .put("p999", percentileMillis(histogram, 99.9))
        .put("max", maxMillis(histogram))
        .put("mean", millis(n == 0 ? 0 : Math.round(histogram.getMean())));
  }

  /**
   * The value at {@code percentile} (0 to 100) in milliseconds: the highest value equivalent to the
   * recorded one at that rank, so never below the latency a request actually saw.
   */
  static double percentileMillis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0.0 : millis(histogram.getValueAtPercentile(percentile));
  }

  static double maxMillis(Histogram histogram) {
    return histogram.getTotalCount() == 0 ? 0.0 : millis(histogram.getMaxValue());
  }

  static double millis(long micros) {
    return Math.round(micros / 1000.0 * 1000.0) / 1000.0;
  }
}
