package com.incidenthub.ops;

import com.incidenthub.incident.StoreMetrics;
import com.incidenthub.incident.StoreOperation;
import com.incidenthub.realtime.HubMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's own meters. Each is declared when the node starts, so that a scrape shows it at 0 before anything
 * happened; no tag takes an incident's id or a channel's name, so the number of series stays fixed.
 */
final class HubMeters implements HubMetrics, StoreMetrics {
  /** Histogram buckets of latencies: a millisecond when all is well, seconds when the store struggles. */
  static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final AtomicInteger connections = new AtomicInteger();
  private final Counter deliveries;
  private final Counter slowConsumerCloses;
  private final Counter recoveredResumes;
  private final Counter unrecoveredResumes;
  private final Counter filledChanges;
  private final Map<StoreOperation, Timer> storeOperations = new EnumMap<>(StoreOperation.class);

  HubMeters(MeterRegistry registry) {
    Gauge.builder("hub.websocket.connections", connections, AtomicInteger::get)
        .description("WebSockets open on this node")
        .strongReference(true)
        .register(registry);
    deliveries = Counter.builder("hub.deliveries")
        .description("Incident events written to sockets, one per socket")
        .register(registry);
    slowConsumerCloses = Counter.builder("hub.slow.consumer.closes")
        .description("Sockets closed with 1013 because they stopped reading")
        .register(registry);
    filledChanges = Counter.builder("hub.filled.changes")
        .description("Changes read from the store because the event bus had not brought them, once per hub instance")
        .register(registry);
    recoveredResumes = resumes(registry, true);
    unrecoveredResumes = resumes(registry, false);
    for (StoreOperation operation : StoreOperation.values()) {
      storeOperations.put(operation, Timer.builder("hub.mongo.operation")
          .description("MongoDB operations by kind, failed ones included")
          .tag("operation", operation.tag())
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry));
    }
  }

  private static Counter resumes(MeterRegistry registry, boolean recovered) {
    return Counter.builder("hub.resumes")
        .description("Sockets resumed from a cursor; recovered: everything missed could be sent")
        .tag("recovered", String.valueOf(recovered))
        .register(registry);
  }

  @Override
  public void socketOpened() {
    connections.incrementAndGet();
  }

  @Override
  public void socketClosed() {
    connections.decrementAndGet();
  }

  @Override
  public void delivered(int sockets) {
    deliveries.increment(sockets);
  }

  @Override
  public void slowConsumerClosed() {
    slowConsumerCloses.increment();
  }

  @Override
  public void resumed(boolean recovered) {
    (recovered ? recoveredResumes : unrecoveredResumes).increment();
  }

  @Override
  public void filled(int changes) {
    filledChanges.increment(changes);
  }

  @Override
  public void completed(StoreOperation operation, long nanos) {
    storeOperations.get(operation).record(nanos, TimeUnit.NANOSECONDS);
  }
}
