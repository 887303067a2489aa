package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was during a run, from /proc/loadavg and the kernel's CPU pressure stall
 * information (/proc/pressure/cpu).
 *
 * <p>On a shared two-core machine a bad p99 may be nobody's fault but a neighbour's build. "cpu some" is
 * the share of wall time in which at least one runnable task waited for a CPU: printed next to the
 * latencies, it tells a slow hub from a busy machine.
 */
final class MachineLoad {

  private static final Path PRESSURE = Path.of("/proc/pressure/cpu");

  private final long startNanos = System.nanoTime();
  private final long startStallMicros = stallMicros();
  private final double startLoad = loadAverage();

  /** The load over the interval since this object was created. */
  JsonObject toJson() {
    long stalled = stallMicros();
    double wallMicros = (System.nanoTime() - startNanos) / 1_000.0;
    JsonObject json = new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("loadAverage1mStart", startLoad)
        .put("loadAverage1mEnd", loadAverage());
    if (stalled >= 0 && startStallMicros >= 0 && wallMicros > 0) {
      json.put("cpuPressureSomePercent", Math.round((stalled - startStallMicros) / wallMicros * 1000.0) / 10.0);
    }
    return json;
  }

  /** The "some" line's total: microseconds in which some task waited for a CPU; -1 without PSI. */
  private static long stallMicros() {
    try {
      for (String line : Files.readAllLines(PRESSURE)) {
        if (line.startsWith("some ")) {
          return Long.parseLong(line.substring(line.indexOf("total=") + 6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      // no PSI on this kernel: the summary just lacks the figure
    }
    return -1;
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
