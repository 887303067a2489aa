package com.incidenthub.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates incidents at a fixed rate (open loop), spread round robin over the run's channels.
 *
 * <p>Open loop on purpose: a closed-loop writer slows down when the server does, which hides exactly the
 * queueing a fan-out benchmark is meant to show. The schedule is computed from the start time, so a late
 * timer tick sends the creates it owes instead of drifting.
 */
final class CreateWriter {

  private static final long TICK_MS = 2;

  private final Context context;
  private final List<Target> targets;
  private final FanoutLedger ledger;
  private final int rate;
  private final int total;
  private final HttpClient http;

  private final AtomicInteger sent = new AtomicInteger();
  private volatile long startNanos;
  private volatile long lastSendNanos;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger created = new AtomicInteger();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  final LatencyRecorder latency = new LatencyRecorder();

  /** Create {@code seq} goes to node {@code seq % n} of {@code targets}. */
  CreateWriter(EventLoops loops, List<Target> targets, FanoutLedger ledger, int rate, int durationSeconds,
               int connections) {
    // A loop of its own: creates must leave on schedule even when the socket loops are busy receiving.
    this.context = loops.reserved(0);
    this.targets = List.copyOf(targets);
    this.ledger = ledger;
    this.rate = rate;
    this.total = Math.min(ledger.capacity(), rate * durationSeconds);
    this.http = loops.vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  int total() {
    return total;
  }

  int sent() {
    return sent.get();
  }

  int answered() {
    return answered.get();
  }

  int created() {
    return created.get();
  }

  long errors() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Starts sending; the future completes once every create has been answered (or failed). */
  Future<Void> start() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      startNanos = start;
      context.owner().setPeriodic(1, TICK_MS, id -> {
        long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
        while (sent.get() < due) {
          send(sent.getAndIncrement(), done);
        }
        if (sent.get() >= total) {
          context.owner().cancelTimer(id);
        }
      });
    });
    return done.future();
  }

  private void send(int seq, Promise<Void> done) {
    int channel = ledger.channelOf(seq);
    long sendNanos = System.nanoTime();
    Buffer body = new JsonObject()
        .put("title", ledger.title(seq, sendNanos))
        .put("severity", Severities.nth(seq))
        .put("channel", ledger.channelName(channel))
        .toBuffer();
    ledger.sent(seq, sendNanos);
    lastSendNanos = sendNanos;
    Target target = targets.get(seq % targets.size());
    http.request(target.request(HttpMethod.POST, "/incidents").putHeader("content-type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(response.statusCode()))
        .onComplete(ar -> {
          long now = System.nanoTime();
          latency.record((now - sendNanos) / 1_000);
          if (ar.succeeded() && ar.result() == 201) {
            ledger.created(seq, now);
            created.incrementAndGet();
          } else {
            ledger.createFailed(seq);
            String key = ar.succeeded() ? "status " + ar.result() : "io " + ar.cause().getClass().getSimpleName();
            errors.computeIfAbsent(key, k -> new LongAdder()).increment();
          }
          if (answered.incrementAndGet() == total) {
            done.tryComplete();
          }
        });
  }

  void close() {
    http.close();
  }

  JsonObject toJson() {
    // Rate over the span between the first and the last send: n sends cover n - 1 intervals.
    double sendingSeconds = (lastSendNanos - startNanos) / 1e9;
    return new JsonObject()
        .put("planned", total)
        .put("sent", sent.get())
        .put("created", created.get())
        .put("failed", errors())
        .put("errorsByStatus", SocketFleet.counts(errors))
        .put("achievedPerSecond", sendingSeconds > 0 ? round1((sent.get() - 1) / sendingSeconds) : 0.0)
        .put("latencyMs", latency.toJsonMillis());
  }

  static double round1(double value) {
    return Math.round(value * 10.0) / 10.0;
  }
}
