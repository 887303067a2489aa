package com.incidenthub.ops;

import static com.incidenthub.http.Responses.methodNotAllowed;

import com.incidenthub.http.ErrorCode;
import com.incidenthub.http.HubException;
import com.incidenthub.incident.StoreMetrics;
import com.incidenthub.realtime.HubMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's metrics: Vert.x's own (HTTP server, event bus, JVM) and the hub's, in one Prometheus registry that
 * {@code GET /metrics} exposes; or none at all, with {@code METRICS_ENABLED=false}.
 */
public final class Metrics {
  /** Needs the admin role once access tokens are configured (Prometheus sends one as a bearer token). */
  public static final String PATH = "/metrics";
  /** vertx-micrometer-metrics keeps registries by name, process-wide: each node's gets a name of its own. */
  private static final AtomicInteger REGISTRIES = new AtomicInteger();
  private static final String HTTP_RESPONSE_TIME = "vertx.http.server.response.time";

  private final Optional<PrometheusMeterRegistry> registry;
  private final Optional<HubMeters> meters;
  private final Handler<RoutingContext> scrape;

  private Metrics(Optional<PrometheusMeterRegistry> registry) {
    this.registry = registry;
    this.meters = registry.map(HubMeters::new);
    this.scrape = registry.<Handler<RoutingContext>>map(PrometheusScrapingHandler::create).orElse(Metrics::off);
  }

  public static Metrics create(boolean enabled) {
    if (!enabled) {
      return new Metrics(Optional.empty());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(responseTimeBuckets());
    return new Metrics(Optional.of(registry));
  }

  /**
   * Buckets for Vert.x's HTTP response times, so that a dashboard can show their percentiles; only there, since
   * Vert.x's "publish quantiles" gives every one of its timers and sizes some seventy buckets per series.
   */
  private static MeterFilter responseTimeBuckets() {
    double[] bucketNanos = Arrays.stream(HubMeters.LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_RESPONSE_TIME.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(bucketNanos).build().merge(config);
      }
    };
  }

  /** Vert.x built with these metrics, so that its own meters land in the same registry as the hub's. */
  public VertxBuilder configure(VertxBuilder builder, VertxOptions options) {
    if (registry.isEmpty()) {
      return builder.with(options);
    }
    return builder
        .with(options.setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setRegistryName("incident-hub-" + REGISTRIES.incrementAndGet())
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .setJvmMetricsEnabled(true)
            // The matched route's template (/incidents/:id), never the path itself: a bounded label.
            .addLabels(Label.HTTP_ROUTE)))
        .withMetrics(new MicrometerMetricsFactory(registry.get()));
  }

  public HubMetrics hub() {
    return meters.isPresent() ? meters.get() : HubMetrics.NONE;
  }

  public StoreMetrics store() {
    return meters.isPresent() ? meters.get() : StoreMetrics.NONE;
  }

  /** {@code GET /metrics}: the Prometheus text format; 404 with metrics turned off. */
  public Router addTo(Router router) {
    router.get(PATH).handler(scrape);
    router.route(PATH).handler(methodNotAllowed("GET"));
    return router;
  }

  private static void off(RoutingContext ctx) {
    ctx.fail(new HubException(ErrorCode.NOT_FOUND, "Metrics are turned off (METRICS_ENABLED=false)"));
  }
}
