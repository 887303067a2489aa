package com.incidenthub.incident;

/** Hears of the change sequence as it is written: the realtime side implements it to tell every hub. */
public interface ChangeListener {
  /** A change is stored; called by whoever made it, once MongoDB acknowledged the write. */
  void changed(Change change);

  /**
   * A number was taken by a write that did not store it (the write failed or lost a race), so hubs need not wait for
   * it. Called by the repository's one write path.
   */
  void skipped(long seq);
}
