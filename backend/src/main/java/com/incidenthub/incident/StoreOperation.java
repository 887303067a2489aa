package com.incidenthub.incident;

import java.util.Locale;

/** Every kind of MongoDB operation the repository runs: the {@code operation} tag of its timings. */
public enum StoreOperation {
  /** A new incident. */
  INSERT,
  /** Any change of a stored incident: status, note, repeat (the one findOneAndUpdate of every such write). */
  CHANGE,
  /** Taking the next number of the change sequence, once per write. */
  NEXT_SEQ,
  FIND,
  HISTORY,
  LIST,
  COUNT,
  CHANNEL_SUMMARIES,
  /** What changed after a cursor, for a resuming socket. */
  CHANGES_AFTER,
  /** The change sequence's latest number. */
  HEAD,
  /** A reopened incident taking its dedupKey back. */
  RECLAIM_DEDUP_KEY,
  PING,
  /** The indexes and the change counter, readied at start-up. */
  PREPARE;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
