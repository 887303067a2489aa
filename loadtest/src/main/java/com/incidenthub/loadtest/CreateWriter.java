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

import java.net.ConnectException;
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
  private final Map<String, LongAdder> unanswered = new ConcurrentHashMap<>();
  private final NodeCounts[] byNode;
  final LatencyRecorder latency = new LatencyRecorder();

  /** Create {@code seq} goes to node {@link FanoutLedger#nodeOf(int)} of {@code targets}, or the next if it refuses. */
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
    this.byNode = new NodeCounts[targets.size()];
    for (int n = 0; n < byNode.length; n++) {
      byNode[n] = new NodeCounts();
    }
  }

  /** What became of the creates one node was sent. */
  private static final class NodeCounts {
    final LongAdder created = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder unanswered = new LongAdder();
    final LongAdder failed = new LongAdder();

    JsonObject toJson() {
      return new JsonObject().put("created", created.sum()).put("refusedSentElsewhere", refused.sum())
          .put("unanswered", unanswered.sum()).put("failed", failed.sum());
    }
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

  /** Creates answered with another status than 201, or refused by every node. */
  long errors() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Creates whose connection broke after they were sent, so that nobody knows whether they were stored. */
  long unanswered() {
    return unanswered.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long unansweredBy(int node) {
    return byNode[node].unanswered.sum();
  }

  JsonObject nodeJson(int node) {
    return byNode[node].toJson();
  }

  /** Starts sending; the future completes once every create has an outcome: created, failed or unanswered. */
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
    int node = ledger.nodeOf(seq);
    ledger.sent(seq, node, sendNanos);
    lastSendNanos = sendNanos;
    post(seq, body, sendNanos, node, 0, done);
  }

  /**
   * One attempt of a create. A node that refuses the connection never saw the request, so the create goes to the
   * next node; a connection that breaks after the request left may have stored it, so it is not sent again (that
   * could create it twice) but counted as unanswered.
   */
  private void post(int seq, Buffer body, long sendNanos, int node, int attempt, Promise<Void> done) {
    http.request(targets.get(node).request(HttpMethod.POST, "/incidents")
            .putHeader("content-type", "application/json"))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(response.statusCode()))
        .onComplete(ar -> {
          if (ar.failed() && ar.cause() instanceof ConnectException && attempt + 1 < targets.size()) {
            byNode[node].refused.increment();
            int next = (node + 1) % targets.size();
            ledger.resent(seq, next);
            post(seq, body, sendNanos, next, attempt + 1, done);
            return;
          }
          long now = System.nanoTime();
          latency.record((now - sendNanos) / 1_000);
          NodeCounts counts = byNode[node];
          if (ar.succeeded() && ar.result() == 201) {
            ledger.created(seq, now);
            created.incrementAndGet();
            counts.created.increment();
          } else if (ar.failed() && !(ar.cause() instanceof ConnectException)) {
            ledger.createUnanswered(seq);
            counts.unanswered.increment();
            unanswered.computeIfAbsent(ar.cause().getClass().getSimpleName(), k -> new LongAdder()).increment();
          } else {
            ledger.createFailed(seq);
            counts.failed.increment();
            String key = ar.succeeded() ? "status " + ar.result() : "refused by every node";
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
        .put("unanswered", unanswered())
        .put("errorsByStatus", SocketFleet.counts(errors))
        .put("unansweredBy", SocketFleet.counts(unanswered))
        .put("achievedPerSecond", sendingSeconds > 0 ? round1((sent.get() - 1) / sendingSeconds) : 0.0)
        .put("latencyMs", latency.toJsonMillis());
  }

  static double round1(double value) {
    return Math.round(value * 10.0) / 10.0;
  }
}
