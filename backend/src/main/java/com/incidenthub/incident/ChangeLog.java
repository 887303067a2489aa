package com.incidenthub.incident;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/** The change sequence as the store holds it: what a hub reads to replay or fill in what it did not deliver. */
public interface ChangeLog {
  /** The highest number taken so far (including numbers whose write is still in flight or failed). */
  Future<Long> head();

  /**
   * The latest version of every incident in {@code channels} (empty: every channel) whose last change took a number
   * in {@code (after, upTo]}, in sequence order, at most {@code limit}.
   */
  Future<List<Change>> changesAfter(Collection<String> channels, long after, long upTo, int limit);

  /**
   * Up to which number a page of {@link #changesAfter} holds every change: {@code upTo} when the page is not full,
   * else its last change's number, after which the next page goes on.
   */
  static long completeUpTo(List<Change> page, long upTo, int limit) {
    return page.size() < limit ? upTo : page.get(page.size() - 1).seq();
  }
}
