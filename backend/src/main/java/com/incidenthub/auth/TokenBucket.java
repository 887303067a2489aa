package com.incidenthub.auth;

import java.util.function.LongSupplier;

/**
 * A token bucket: it holds at most {@code capacity} tokens and gains {@code perSecond} of them every second; each
 * permitted action takes one. A full bucket lets a burst of {@code capacity} through, then the rate holds.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double perNano;
  private final double capacity;
  private final LongSupplier clock;
  private double tokens;
  private long updatedAt;

  /** {@code clock} gives nanoseconds, as {@link System#nanoTime} does; tests pass one they move by hand. */
  public TokenBucket(double perSecond, int capacity, LongSupplier clock) {
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.capacity = capacity;
    this.clock = clock;
    this.tokens = capacity;
    this.updatedAt = clock.getAsLong();
  }

  /** Takes a token: 0 when one was there, else the nanoseconds until one will be (and nothing is taken). */
  public synchronized long take() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }

  /** A full bucket behaves exactly like a new one, so whoever keeps buckets may forget it. */
  synchronized boolean isFull() {
    refill();
    return tokens >= capacity;
  }

  private void refill() {
    long now = clock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
    updatedAt = now;
  }
}
