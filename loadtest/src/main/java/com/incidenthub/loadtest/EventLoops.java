package com.incidenthub.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One Vert.x instance and one context per event loop, so scenarios can spread sockets and connections over
 * every loop explicitly.
 *
 * <p>A connection lives on the event loop of the context that opened it. Opening everything from the main
 * thread would leave the placement to Vert.x; running each open on a chosen context makes the spread even
 * and lets each socket's state be touched by one thread only.
 */
final class EventLoops implements AutoCloseable {

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
  private final List<Context> contexts;

  private EventLoops(Vertx vertx, List<Context> contexts) {
    this.vertx = vertx;
    this.contexts = contexts;
  }

  static EventLoops start(int count) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(count));
    List<Context> contexts = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new Anchor(contexts), new DeploymentOptions().setInstances(count)).await();
    return new EventLoops(vertx, List.copyOf(contexts));
  }

  int size() {
    return contexts.size();
  }

  /** The context for the i-th unit of work, round robin. */
  Context pick(int i) {
    return contexts.get(Math.floorMod(i, contexts.size()));
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
