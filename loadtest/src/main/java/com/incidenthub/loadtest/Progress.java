package com.incidenthub.loadtest;

import java.util.Locale;

/**
 * The once-a-second status line. It goes to stderr so that stdout carries only the final JSON summary and
 * can be piped straight into a file or jq.
 */
final class Progress {

  private final String scenario;
  private final long startNanos = System.nanoTime();

  Progress(String scenario) {
    this.scenario = scenario;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  void line(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[%s %6.1fs] %s%n", scenario, elapsedSeconds(),
        String.format(Locale.ROOT, format, args));
    System.err.flush();
  }
}
