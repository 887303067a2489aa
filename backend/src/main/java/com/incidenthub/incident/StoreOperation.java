package com.incidenthub.incident;

import java.util.Locale;

/** Every kind of MongoDB operation the repository runs: the {@code operation} tag of its timings. */
public enum StoreOperation {
  CREATE, FIND, LIST, COUNT, CHANGE_STATUS, CHANNEL_SUMMARIES, PING, ENSURE_INDEXES;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
