package com.incidenthub;

import com.incidenthub.auth.ClientLimits;
import com.incidenthub.ops.Metrics;
import com.incidenthub.realtime.DeliveryNotices;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the verticle instances of one node share: the store's epoch, the count of open sockets across every instance's
 * hub, the port they listen on, the cluster's member count when clustered, the per-client limits (a client's
 * allowance is the node's, whichever instance serves it), the metrics, and what the hubs log once per node.
 */
record NodeContext(String epoch, AtomicInteger sockets, AtomicInteger port, Optional<IntSupplier> clusterMembers,
    ClientLimits clientLimits, Metrics metrics, DeliveryNotices deliveryNotices) {}
