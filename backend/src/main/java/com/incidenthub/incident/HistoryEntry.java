package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One line of an incident's timeline: who did what, and when. */
public sealed interface HistoryEntry {
  /** The entry's {@code type}, on the wire and in the stored document. */
  String type();

  Instant at();

  String actor();

  /** The entry as {@code GET /incidents/{id}/history} renders it. */
  default JsonObject toJson() {
    return new JsonObject().put("type", type()).put("at", Incident.iso(at())).put("actor", actor());
  }

  /** The incident was created; {@code status} is the one it started with. */
  record Created(Instant at, String actor, String status) implements HistoryEntry {
    @Override
    public String type() {
      return "created";
    }
  }

  record StatusChanged(Instant at, String actor, String from, String to) implements HistoryEntry {
    @Override
    public String type() {
      return "status";
    }

    @Override
    public JsonObject toJson() {
      return HistoryEntry.super.toJson().put("from", from).put("to", to);
    }
  }

  record Note(Instant at, String actor, String text) implements HistoryEntry {
    @Override
    public String type() {
      return "note";
    }

    @Override
    public JsonObject toJson() {
      return HistoryEntry.super.toJson().put("text", text);
    }
  }

  /** A create with the same channel and dedupKey counted as another occurrence of this incident. */
  record Repeat(Instant at, String actor) implements HistoryEntry {
    @Override
    public String type() {
      return "repeat";
    }
  }
}
