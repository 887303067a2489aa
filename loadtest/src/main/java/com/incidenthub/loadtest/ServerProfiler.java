package com.incidenthub.loadtest;

import io.vertx.core.json.JsonObject;
import one.profiler.AsyncProfilerLoader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * async-profiler attached to the hub's process for the measured phase of a run, so that the profile covers
 * exactly the load the summary reports (not the start-up, the sockets' handshakes or the warm-up).
 *
 * <p>ap-loader carries async-profiler's native library and its {@code asprof} launcher inside the harness's
 * jar and extracts them on first use; {@code asprof} attaches to the running JVM, so the hub needs no flag.
 */
final class ServerProfiler {

  static final ServerProfiler NONE = new ServerProfiler(-1, null, null);

  private final long pid;
  private final String event;
  private final Path file;

  private ServerProfiler(long pid, String event, Path file) {
    this.pid = pid;
    this.event = event;
    this.file = file;
  }

  static ServerProfiler of(long pid, String event, Path file) {
    if (!AsyncProfilerLoader.isSupported()) {
      throw new UsageException("--profile: async-profiler has no library for this OS and architecture");
    }
    // Attaches now, before any load: a wrong event or an unreachable JVM stops the run before it starts,
    // and loading the agent into the hub is not part of what the run measures.
    asprof("check", "-e", event, Long.toString(pid));
    return new ServerProfiler(pid, event, file.toAbsolutePath());
  }

  void start() {
    if (file != null) {
      asprof("start", "-e", event, Long.toString(pid));
    }
  }

  /** Stops profiling and writes the file; its format follows the file's extension. */
  void stop() {
    if (file != null) {
      asprof("stop", "-f", file.toString(), Long.toString(pid));
    }
  }

  /** Names the profile in a run's summary; adds nothing without one. */
  void describeIn(JsonObject summary) {
    if (file != null) {
      summary.put("profile", new JsonObject().put("file", file.toString()).put("event", event));
    }
  }

  private static void asprof(String... args) {
    try {
      AsyncProfilerLoader.executeProfiler(args);
    } catch (IOException e) {
      throw new IllegalStateException("async-profiler " + String.join(" ", args) + " failed: " + e.getMessage(), e);
    }
  }
}
