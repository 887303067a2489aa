package com.incidenthub.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting for a state the service reaches by itself, asking again until it holds; never a fixed sleep. */
public final class Awaits {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Awaits() {}

  /** The first non-null answer of {@code probe}; each try is a request to the service, which paces the loop. */
  public static <T> T until(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      T answer = probe.get();
      if (answer != null) {
        return answer;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("gave up waiting " + TIMEOUT.toSeconds() + " s for " + what);
  }
}
