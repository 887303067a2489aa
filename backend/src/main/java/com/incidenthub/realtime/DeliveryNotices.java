package com.incidenthub.realtime;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node's hubs tell the operator about changes the event bus did not bring them: said once per node (every
 * instance's hub shares one), never once per hub or per event.
 */
public final class DeliveryNotices {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryNotices.class);

  private final AtomicBoolean foreignEpochSeen = new AtomicBoolean();
  private int fillingHubs;
  private long mostFilled;

  /** A change of another store reached a hub, which dropped it; warns the first time only. */
  void foreignEpoch(String theirs, String ours) {
    if (foreignEpochSeen.compareAndSet(false, true)) {
      LOG.warn("The event bus brought a change of another store (epoch {}; this node's store has epoch {}): a node "
          + "of this cluster uses another database. Its changes are not delivered here, nor this node's there; give "
          + "every node of a cluster the same MONGO_URI and MONGO_DB. Further such changes are dropped silently",
          theirs, ours);
    }
  }

  /** A hub began filling in from the store; the node says so when it is the first of its hubs to. */
  synchronized void startedFilling(long hubPosition, long storeHead) {
    if (fillingHubs++ == 0) {
      mostFilled = 0;
      LOG.info("Filling in from the store: this node's hub had delivered up to {}, the store had changes up to {}; "
          + "changes the event bus did not bring are read from the store and sent to the sockets", hubPosition,
          storeHead);
    }
  }

  /**
   * A hub has every change again, after filling in {@code filled}; when it was the last of the node's hubs filling,
   * the node says so, with the most any of them filled in (every hub fills in the same changes for its own sockets).
   */
  synchronized void stoppedFilling(long filled) {
    mostFilled = Math.max(mostFilled, filled);
    if (--fillingHubs == 0) {
      LOG.info("Stopped filling in from the store: {} change{} filled in; the event bus brings every change again",
          mostFilled, mostFilled == 1 ? "" : "s");
    }
  }
}
