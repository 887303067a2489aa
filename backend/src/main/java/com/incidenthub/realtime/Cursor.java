package com.incidenthub.realtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in one store's change sequence, as clients see it: {@code <epoch>.<seq>}, opaque to them and valid on every
 * node. The epoch is drawn when the store's counter is created, so a cursor of another database (or of one that was
 * recreated) is recognised as foreign instead of being read as a position.
 */
public record Cursor(String epoch, long seq) {
  /** What a client may send as a cursor; anything else is refused as malformed. */
  public static final String RULE = "a cursor: 1-256 characters of A-Z, a-z, 0-9, '_', '.', '~' or '-'";

  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_.~-]{1,256}");
  private static final Pattern OURS = Pattern.compile("([A-Za-z0-9]{1,64})\\.(0|[1-9][0-9]{0,17})");

  /** True for a value that may be a cursor; whether it is one of this store's is {@link #decode}'s question. */
  public static boolean isWellFormed(Object value) {
    return value instanceof String text && WELL_FORMED.matcher(text).matches();
  }

  /** The position a well-formed cursor names, or empty when it is not in this service's format at all. */
  public static Optional<Cursor> decode(String text) {
    Matcher parts = OURS.matcher(text);
    return parts.matches() ? Optional.of(new Cursor(parts.group(1), Long.parseLong(parts.group(2)))) : Optional.empty();
  }

  public String encode() {
    return epoch + "." + seq;
  }
}
