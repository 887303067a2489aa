package com.incidenthub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clustered event bus on Hazelcast: members find each other only through the configured list (TCP-IP join, no
 * multicast, no auto-detection), nothing phones home, and the node binds and advertises {@code CLUSTER_HOST} for both
 * Hazelcast and the event bus. Only this class knows Hazelcast, and it is loaded only when CLUSTER_MEMBERS is set.
 */
public final class Cluster {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
  private static final String NAME = "incident-hub";
  /** A member silent this long is dropped, so a dead node leaves the member count and the bus within seconds. */
  private static final int MAX_NO_HEARTBEAT_SECONDS = 10;
  /** After a partition heals, the two halves look for each other this soon (Hazelcast's default is 5 minutes). */
  private static final int MERGE_DELAY_SECONDS = 5;

  private Cluster() {}

  /** A clustered Vert.x and how many members its cluster has now. */
  public record Clustered(Vertx vertx, IntSupplier members) {}

  /**
   * Starts Hazelcast, joins the members that answer, and builds the clustered Vert.x on it; {@code builder} turns
   * the cluster's Vert.x options into a builder with whatever else the node wants (its metrics).
   */
  public static Future<Clustered> join(com.incidenthub.Config config, Function<VertxOptions, VertxBuilder> builder) {
    String host = config.clusterHost().orElseThrow();
    HazelcastClusterManager manager;
    try {
      manager = new HazelcastClusterManager(hazelcast(config, host));
    } catch (UnknownHostException e) {
      return Future.failedFuture(new IllegalArgumentException("CLUSTER_HOST '" + host + "' does not resolve", e));
    }
    LOG.info("Joining the cluster {} as {}:{}", config.clusterMembers(), host, config.clusterPort());
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(host).setClusterPublicHost(host));
    return builder.apply(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new Clustered(vertx, () -> manager.getNodes().size()))
        .onSuccess(clustered -> LOG.info("Joined the cluster: {} member(s)", clustered.members().getAsInt()));
  }

  private static Config hazelcast(com.incidenthub.Config config, String host) throws UnknownHostException {
    // The default configuration declares the maps and multimap Vert.x keeps its registrations in.
    Config hazelcast = ConfigUtil.loadConfig().setClusterName(NAME);
    hazelcast.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    hazelcast.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    hazelcast.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
    hazelcast.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
    hazelcast.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), Integer.toString(MERGE_DELAY_SECONDS));
    hazelcast.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), Integer.toString(MERGE_DELAY_SECONDS));
    String address = InetAddress.getByName(host).getHostAddress();
    NetworkConfig network = hazelcast.getNetworkConfig()
        .setPort(config.clusterPort())
        .setPortAutoIncrement(false)
        .setPublicAddress(address + ":" + config.clusterPort());
    network.getInterfaces().setEnabled(true).addInterface(address);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(config.clusterMembers());
    return hazelcast;
  }
}
