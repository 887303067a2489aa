package com.incidenthub.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x instance and one context per event loop, so scenarios can spread sockets and connections over
 * the loops explicitly, and keep a loop to themselves where queueing behind other work would distort a
 * measurement (the fan-out writer).
 *
 * <p>A connection lives on the event loop of the context that opened it. Opening everything from the main
 * thread would leave the placement to Vert.x; running each open on a chosen context makes the spread even
 * and lets each socket's state be touched by one thread only.
 *
 * <p>Every loop also runs a lag probe: a timer that notes how late it fires. A harness whose own loops lag
 * measures its own backlog, not the server's, and the summary says so.
 */
final class EventLoops implements AutoCloseable {

  private static final long PROBE_MS = 50;

  /** A verticle that only lends its event-loop context. */
  private static final class Anchor extends VerticleBase {
    private final List<Context> sink;

    Anchor(List<Context> sink) {
      this.sink = sink;
    }

    @Override
    public Future<?> start() {
      sink.add(context);
      return Future.succeededFuture();
    }
  }

  final Vertx vertx;
  private final List<Context> shared;
  private final List<Context> reserved;
  private volatile LatencyRecorder lag = new LatencyRecorder();

  private EventLoops(Vertx vertx, List<Context> shared, List<Context> reserved) {
    this.vertx = vertx;
    this.shared = shared;
    this.reserved = reserved;
  }

  /**
   * @param count    loops for sockets and connections, handed out round robin by {@link #pick(int)}
   * @param reserved extra loops handed out one each by {@link #reserved(int)}
   */
  static EventLoops start(int count, int reserved) {
    int total = count + reserved;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(total));
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new Anchor(contexts), new DeploymentOptions().setInstances(total)).await();
    EventLoops loops = new EventLoops(vertx, List.copyOf(contexts.subList(0, count)),
        List.copyOf(contexts.subList(count, total)));
    contexts.forEach(loops::probe);
    return loops;
  }

  static EventLoops start(int count) {
    return start(count, 0);
  }

  private void probe(Context context) {
    context.runOnContext(v -> {
      long[] due = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MS)};
      vertx.setPeriodic(PROBE_MS, id -> {
        long now = System.nanoTime();
        lag.record((now - due[0]) / 1_000);
        due[0] = now + TimeUnit.MILLISECONDS.toNanos(PROBE_MS);
      });
    });
  }

  int size() {
    return shared.size();
  }

  /** The context for the i-th unit of work, round robin over the shared loops. */
  Context pick(int i) {
    return shared.get(Math.floorMod(i, shared.size()));
  }

  Context reserved(int k) {
    return reserved.get(k);
  }

  /** Forgets the lag seen so far, so that the reported lag covers the measured phase only. */
  void resetLag() {
    lag = new LatencyRecorder();
  }

  /** How late the harness's own timers fired: if this is high, so is every latency the harness measured. */
  JsonObject lagJson() {
    JsonObject json = lag.toJsonMillis();
    json.remove("count");
    json.remove("mean");
    json.remove("p999");
    return json;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("warning: Vert.x did not close cleanly: " + e);
    }
  }
}
