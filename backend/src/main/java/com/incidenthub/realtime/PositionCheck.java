package com.incidenthub.realtime;

import com.incidenthub.incident.Change;
import com.incidenthub.incident.ChangeLog;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hub's check that it has every change: every interval it reads the store's newest position (the change counter,
 * one document by its id), and when the hub has still not released up to there a grace later, it reads what is
 * missing from the store (the resume's read, by the sequence index) and hands it to the hub in pages, in order. The
 * grace lets the event bus bring what is merely in flight, so that a healthy node reads nothing but the counter.
 */
final class PositionCheck {
  private static final Logger LOG = LoggerFactory.getLogger(PositionCheck.class);

  /** The hub's side. */
  interface Hub {
    /** Every change up to here has been released. */
    long released();

    /** A fill up to {@code storeHead} begins; one or more pages follow. */
    void beginFill(long storeHead);

    /** Changes read from the store, in sequence order; the store holds no other change up to {@code upTo}. */
    void fill(List<Change> changes, long upTo);

    /** A check found nothing missing. */
    void caughtUp();
  }

  private final Vertx vertx;
  private final ChangeLog store;
  private final Duration interval;
  private final long graceMillis;
  private final int pageSize;
  private final Hub hub;
  private long timer = -1;
  private boolean checking;
  private boolean stopped;
  private boolean failing;

  PositionCheck(Vertx vertx, ChangeLog store, Duration interval, long graceMillis, int pageSize, Hub hub) {
    this.vertx = vertx;
    this.store = store;
    this.interval = interval;
    this.graceMillis = graceMillis;
    this.pageSize = pageSize;
    this.hub = hub;
  }

  void start() {
    timer = vertx.setPeriodic(interval.toMillis(), tick -> check());
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void check() {
    if (checking || stopped) {
      return; // the previous check is still reading
    }
    checking = true;
    store.head().onComplete(head -> {
      if (head.failed()) {
        done("the store's position could not be read: " + head.cause().getMessage());
      } else if (head.result() <= hub.released()) {
        hub.caughtUp();
        done(null);
      } else {
        vertx.setTimer(graceMillis, grace -> {
          if (!stopped && hub.released() < head.result()) {
            hub.beginFill(head.result());
          }
          fillUpTo(head.result());
        });
      }
    });
  }

  private void fillUpTo(long storeHead) {
    long from = hub.released();
    if (stopped || from >= storeHead) {
      if (!stopped) {
        hub.caughtUp();
      }
      done(null);
      return;
    }
    store.changesAfter(List.of(), from, storeHead, pageSize).onComplete(read -> {
      if (stopped) {
        done(null);
      } else if (read.failed()) {
        done("the changes after " + from + " could not be read: " + read.cause().getMessage());
      } else {
        List<Change> changes = read.result();
        hub.fill(changes, ChangeLog.completeUpTo(changes, storeHead, pageSize));
        if (changes.size() < pageSize) {
          done(null);
        } else {
          fillUpTo(storeHead);
        }
      }
    });
  }

  /** Ends a check; a failing one warns once, and the checks go on quietly until one succeeds again. */
  private void done(String problem) {
    checking = false;
    if (problem != null && !failing) {
      LOG.warn("Position check: {}; checking again every {} s", problem, interval.toSeconds());
    }
    failing = problem != null;
  }
}
