package com.incidenthub.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Helpers for asserting server frames exactly, apart from the cursor, whose value depends on the store. */
public final class Frames {
  /** The service's cursor format: the store's epoch (16 hex digits), a dot, the change sequence number. */
  private static final Pattern CURSOR = Pattern.compile("[0-9a-f]{16}\\.(0|[1-9][0-9]*)");

  private Frames() {}

  /** Checks that the frame carries a cursor of this service's format and returns the frame without it. */
  public static JsonObject withoutCursor(JsonObject frame) {
    assertTrue(frame.getValue("cursor") instanceof String cursor && CURSOR.matcher(cursor).matches(),
        "no cursor of the expected format in " + frame);
    JsonObject copy = frame.copy();
    copy.remove("cursor");
    return copy;
  }

  /** The sequence number a cursor names. */
  public static long seqOf(JsonObject frame) {
    String cursor = frame.getString("cursor");
    return Long.parseLong(cursor.substring(cursor.indexOf('.') + 1));
  }
}
