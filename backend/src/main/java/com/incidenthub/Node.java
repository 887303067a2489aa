package com.incidenthub;

import com.incidenthub.auth.ClientLimits;
import com.incidenthub.cluster.Cluster;
import com.incidenthub.incident.IncidentRepository;
import com.incidenthub.ops.Metrics;
import com.incidenthub.realtime.DeliveryNotices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Route;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of the service: its Vert.x (clustered on Hazelcast when CLUSTER_MEMBERS is set, and only then), the store
 * readied once, {@code HUB_INSTANCES} verticle instances sharing the HTTP port, and the orderly stop.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final Config config;
  private final NodeContext context;
  private final String deploymentId;
  private final List<HubVerticle> instances;

  private Node(Vertx vertx, Config config, NodeContext context, String deploymentId, List<HubVerticle> instances) {
    this.vertx = vertx;
    this.config = config;
    this.context = context;
    this.deploymentId = deploymentId;
    this.instances = List.copyOf(instances);
  }

  public static Future<Node> start(Config config) {
    // One registry per node, made before Vert.x so that Vert.x's own meters and the hub's land in it.
    Metrics metrics = Metrics.create(config.metricsEnabled());
    if (!config.clustered()) {
      return start(metrics.configure(Vertx.builder(), new VertxOptions()).build(), config, metrics, Optional.empty());
    }
    return Cluster.join(config, options -> metrics.configure(Vertx.builder(), options)).compose(clustered ->
        start(clustered.vertx(), config, metrics, Optional.of(clustered.members())));
  }

  private static Future<Node> start(Vertx vertx, Config config, Metrics metrics,
      Optional<IntSupplier> clusterMembers) {
    // The indexes and the change counter are readied once per node, before any instance serves.
    MongoClient mongo = MongoClient.createShared(vertx, HubVerticle.mongoSettings(config), HubVerticle.MONGO_POOL);
    return new IncidentRepository(mongo, unused -> { }, metrics.store())
        .prepare(config.retention())
        .compose(epoch -> {
          NodeContext context = new NodeContext(epoch, new AtomicInteger(), new AtomicInteger(), clusterMembers,
              ClientLimits.of(config.writesPerSecond(), config.writeBurst(), config.maxSocketsPerClient()), metrics,
              new DeliveryNotices());
          List<HubVerticle> instances = new CopyOnWriteArrayList<>();
          return vertx.deployVerticle(() -> {
                HubVerticle instance = new HubVerticle(config, context);
                instances.add(instance);
                return instance;
              }, new DeploymentOptions().setInstances(config.hubInstances()))
              .map(deployment -> new Node(vertx, config, context, deployment, instances));
        })
        .eventually(mongo::close)
        .onSuccess(node -> LOG.info("HTTP server listening on port {} ({} instance{}{})", node.port(),
            config.hubInstances(), config.hubInstances() == 1 ? "" : "s",
            clusterMembers.map(members -> ", cluster of " + members.getAsInt()).orElse(", standalone")))
        .onSuccess(node -> HubVerticle.dashboardDirectory(config)
            .ifPresent(directory -> LOG.info("Serving the dashboard from {}", directory)))
        .onFailure(failure -> vertx.close());
  }

  /** The port every instance listens on; the configured one, or the one picked when that is 0. */
  public int port() {
    return context.port().get();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The route table every instance serves, for the test that holds it to the OpenAPI document. */
  public List<Route> routes() {
    return instances.get(0).routes();
  }

  /**
   * The graceful stop: no new connections, in-flight requests finish (at most {@value HubVerticle#SHUTDOWN_SECONDS}
   * s), every socket is closed with 1001 so that its client resumes on another node, then the cluster is left. Blocks
   * the calling thread, which must not be one of this node's event loops.
   */
  public void stop(long timeout, TimeUnit unit) throws Exception {
    LOG.info("Shutting down: accepting no new connections; finishing in-flight requests (at most {} s) and closing "
        + "{} WebSockets with 1001", HubVerticle.SHUTDOWN_SECONDS, context.sockets().get());
    vertx.undeploy(deploymentId).await(timeout, unit);
    LOG.info("Shutdown: requests finished and WebSockets closed; {} still open", context.sockets().get());
    if (config.clustered()) {
      LOG.info("Shutdown: leaving the cluster");
    }
    vertx.close().await(timeout, unit);
    LOG.info("Shutdown complete");
  }
}
