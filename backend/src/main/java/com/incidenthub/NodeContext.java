package com.incidenthub;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * What the verticle instances of one node share: the store's epoch, the count of open sockets across every instance's
 * hub, the port they listen on, and the cluster's member count when clustered.
 */
record NodeContext(String epoch, AtomicInteger sockets, AtomicInteger port, Optional<IntSupplier> clusterMembers) {}
