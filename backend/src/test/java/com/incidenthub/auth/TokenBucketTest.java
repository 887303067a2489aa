package com.incidenthub.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Token bucket")
class TokenBucketTest {
  private static final long MS = 1_000_000;
  private final AtomicLong now = new AtomicLong(5_000 * MS);

  @Test
  @DisplayName("a full bucket lets a burst of its capacity through, then says how long until the next token")
  void burstThenWait() {
    TokenBucket bucket = new TokenBucket(10, 3, now::get);

    assertEquals(0, bucket.take());
    assertEquals(0, bucket.take());
    assertEquals(0, bucket.take());
    assertEquals(100 * MS, bucket.take());
    assertEquals(100 * MS, bucket.take(), "a refused take takes nothing");
  }

  @Test
  @DisplayName("tokens come back at the rate, fractions included")
  void refills() {
    TokenBucket bucket = new TokenBucket(10, 3, now::get);
    drain(bucket, 3);

    now.addAndGet(40 * MS);
    assertEquals(60 * MS, bucket.take());
    now.addAndGet(60 * MS);
    assertEquals(0, bucket.take());
    assertEquals(100 * MS, bucket.take());
  }

  @Test
  @DisplayName("an idle bucket fills up to its capacity and no further")
  void capped() {
    TokenBucket bucket = new TokenBucket(10, 3, now::get);
    drain(bucket, 3);

    now.addAndGet(60_000 * MS);

    assertEquals(true, bucket.isFull());
    drain(bucket, 3);
    assertEquals(100 * MS, bucket.take());
  }

  private static void drain(TokenBucket bucket, int tokens) {
    for (int i = 0; i < tokens; i++) {
      assertEquals(0, bucket.take(), "token " + (i + 1));
    }
  }
}
