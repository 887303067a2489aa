package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's CPU time and resident memory from Linux's /proc.
 *
 * <p>CPU time per unit of work is the number we trust most on a shared two-core machine: a p99 moves with
 * whatever else runs, CPU seconds spent per 1,000 deliveries much less.
 */
final class ProcStats {

  private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

  private final long pid;

  private ProcStats(long pid) {
    this.pid = pid;
  }

  /** Stats of another process, typically the server; fails fast when the pid cannot be read. */
  static ProcStats of(long pid) {
    ProcStats stats = new ProcStats(pid);
    stats.cpuTicks(); // a wrong --server-pid should stop the run before it starts, not at its end
    return stats;
  }

  static ProcStats self() {
    return new ProcStats(ProcessHandle.current().pid());
  }

  long pid() {
    return pid;
  }

  /** utime + stime of the whole process (all threads), in clock ticks. */
  long cpuTicks() {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may contain spaces, so split after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Nanoseconds all threads of the process spent waiting in the CPU run queue (runnable but not running),
   * summed from /proc/PID/task/TID/schedstat; -1 when the kernel does not keep schedstats. This is the
   * direct measure of "the machine was busy": latency that no profile of the process itself can explain.
   */
  long runQueueWaitNanos() {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long sum = 0;
    try (var stream = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) stream::iterator) {
        try {
          String[] fields = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).trim().split(" ");
          sum += Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
          // the thread ended between listing and reading: its share is lost, which is fine for an estimate
        }
      }
      return sum;
    } catch (IOException e) {
      return -1;
    }
  }

  double ticksToSeconds(long ticks) {
    return (double) ticks / CLOCK_TICKS_PER_SECOND;
  }

  /** Resident set size in KiB, the same number {@code ps -o rss} prints. */
  long rssKib() {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }

  /** The soft limit on open files of the process, or -1 when /proc does not say. */
  long maxOpenFiles() {
    for (String line : read(Path.of("/proc", Long.toString(pid), "limits")).split("\n")) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return "unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    return -1;
  }

  /** A CPU-time and run-queue sample, to compare with a later one. */
  record Sample(long ticks, long waitNanos) {
  }

  Sample sample() {
    return new Sample(cpuTicks(), runQueueWaitNanos());
  }

  /** CPU used between two samples, normalised per 1,000 units of work, and the time spent waiting for a CPU. */
  JsonObject cpuJson(Sample before, Sample after, double wallSeconds, long units, String unitName) {
    JsonObject json = cpuJson(before.ticks(), after.ticks(), wallSeconds, units, unitName);
    if (before.waitNanos() >= 0 && after.waitNanos() >= 0) {
      json.put("runQueueWaitSeconds", round((after.waitNanos() - before.waitNanos()) / 1e9));
    }
    return json;
  }

  /** CPU used between two {@link #cpuTicks()} samples, normalised per 1,000 units of work. */
  JsonObject cpuJson(long ticksBefore, long ticksAfter, double wallSeconds, long units, String unitName) {
    double cpuSeconds = ticksToSeconds(ticksAfter - ticksBefore);
    JsonObject json = new JsonObject()
        .put("pid", pid)
        .put("cpuSeconds", round(cpuSeconds))
        .put("avgCores", wallSeconds > 0 ? round(cpuSeconds / wallSeconds) : 0.0);
    json.put("cpuMsPer1000" + unitName, units > 0 ? round(cpuSeconds * 1000.0 / (units / 1000.0)) : null);
    return json;
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + " (is the process running, is this Linux?)", e);
    }
  }

  /**
   * Linux reports CPU times in USER_HZ ticks; that is 100 on every mainstream kernel, but asking
   * {@code getconf} costs one process start and removes the assumption.
   */
  private static long clockTicks() {
    try {
      Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      try (InputStream in = process.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return Long.parseLong(out);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the Linux default
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 100;
  }
}
