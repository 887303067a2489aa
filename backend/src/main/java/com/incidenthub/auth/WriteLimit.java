package com.incidenthub.auth;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * WRITES_PER_SECOND and WRITE_BURST: one token bucket per principal for every write (any method but GET, HEAD and
 * OPTIONS). It sits after authentication, the Origin check and the role check, so a refused request takes nothing
 * from the bucket, and before validation, so a flood of bad bodies is limited too. Thread-safe: every verticle
 * instance of a node shares one.
 */
public final class WriteLimit implements Handler<RoutingContext> {
  /** Full buckets are forgotten this often, so that many one-off clients do not pile up. */
  private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int perSecond;
  private final int burst;
  private final LongSupplier clock;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private volatile long sweptAt;

  public WriteLimit(int perSecond, int burst, LongSupplier clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
    this.sweptAt = clock.getAsLong();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!isWrite(ctx.request().method())) {
      ctx.next();
      return;
    }
    sweepNowAndThen();
    String principal = Caller.of(ctx).principal();
    long waitNanos = buckets.computeIfAbsent(principal, key -> new TokenBucket(perSecond, burst, clock)).take();
    if (waitNanos == 0) {
      ctx.next();
      return;
    }
    long retryAfter = Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    ctx.fail(new HubException(ErrorCode.RATE_LIMITED, "Too many writes: at most " + perSecond
        + " per second, in bursts of up to " + burst + "; retry in " + retryAfter + " s"));
  }

  static boolean isWrite(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private void sweepNowAndThen() {
    long now = clock.getAsLong();
    if (now - sweptAt >= SWEEP_INTERVAL.toNanos()) {
      sweptAt = now;
      buckets.values().removeIf(TokenBucket::isFull);
    }
  }
}
