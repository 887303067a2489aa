package com.incidenthub.incident;

import com.incidenthub.incident.HistoryEntry.Created;
import com.incidenthub.incident.HistoryEntry.Note;
import com.incidenthub.incident.HistoryEntry.Repeat;
import com.incidenthub.incident.HistoryEntry.StatusChanged;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps incidents, their history and the channel summaries to the documents MongoDB stores and back; the BSON shapes
 * (dates as {@code $date}) and the fields only the store needs live only here.
 *
 * <p>Besides the incident's own fields a document holds {@code history} (its timeline, oldest first),
 * {@code resolvedAt} (while resolved: what the retention index expires on) and {@code dedupSlot} (channel and
 * dedupKey together, present only while the incident is unresolved and holds its key: the unique sparse index on it
 * is what makes de-duplication atomic), and {@code seq}, the number its latest change took in the change sequence.
 */
final class IncidentDocuments {
  /** The incident's fields, as the projection of every read: the history is read only when asked for. */
  static final JsonObject FIELDS = new JsonObject()
      .put("_id", 1).put("channel", 1).put("title", 1).put("message", 1).put("severity", 1)
      .put("status", 1).put("createdAt", 1).put("updatedAt", 1).put("version", 1).put("createdBy", 1)
      .put("updatedBy", 1).put("occurrences", 1).put("dedupKey", 1).put("lastOccurredAt", 1).put("seq", 1);

  static final JsonObject HISTORY = new JsonObject().put("history", 1);

  private IncidentDocuments() {}

  /**
   * The document of a new incident, stored by the change that took {@code seq}, with its first history entry and,
   * when it has a key and is open, its slot.
   */
  static JsonObject newDocument(Incident incident, long seq) {
    JsonObject document = new JsonObject()
        .put("_id", incident.id())
        .put("channel", incident.channel())
        .put("title", incident.title())
        .put("message", incident.message())
        .put("severity", incident.severity())
        .put("status", incident.status())
        .put("createdAt", date(incident.createdAt()))
        .put("updatedAt", date(incident.updatedAt()))
        .put("version", incident.version())
        .put("createdBy", incident.createdBy())
        .put("updatedBy", incident.updatedBy())
        .put("occurrences", incident.occurrences())
        .put("seq", seq)
        .put("history", new JsonArray().add(entry(new Created(incident.createdAt(), incident.createdBy(), incident.status()))));
    incident.dedupKey().ifPresent(key -> document.put("dedupKey", key));
    if (incident.resolved()) {
      document.put("resolvedAt", date(incident.createdAt()));
    } else {
      incident.dedupKey().ifPresent(key -> document.put("dedupSlot", dedupSlot(incident.channel(), key)));
    }
    return document;
  }

  static Change changeFromDocument(JsonObject document) {
    return new Change(fromDocument(document), document.getLong("seq"));
  }

  static Incident fromDocument(JsonObject document) {
    return new Incident(
        document.getString("_id"),
        document.getString("channel"),
        document.getString("title"),
        document.getString("message", ""),
        document.getString("severity"),
        document.getString("status"),
        instant(document.getJsonObject("createdAt")),
        instant(document.getJsonObject("updatedAt")),
        document.getInteger("version"),
        document.getString("createdBy", Incident.ANONYMOUS),
        document.getString("updatedBy", Incident.ANONYMOUS),
        // Documents stored before occurrences were counted are one occurrence each.
        document.getInteger("occurrences", 1),
        Optional.ofNullable(document.getString("dedupKey")),
        Optional.ofNullable(document.getJsonObject("lastOccurredAt")).map(IncidentDocuments::instant));
  }

  /** The value of {@code dedupSlot}; channel names cannot contain '/', so no two pairs share one. */
  static String dedupSlot(String channel, String dedupKey) {
    return channel + "/" + dedupKey;
  }

  /**
   * A history entry as stored. A status entry stores only where it went: where it came from is the status before
   * it in the same list (the {@code created} entry holds the first), so the update that pushes it need not know it.
   */
  static JsonObject entry(HistoryEntry entry) {
    JsonObject stored = new JsonObject().put("type", entry.type()).put("at", date(entry.at())).put("actor", entry.actor());
    if (entry instanceof Created created) {
      stored.put("status", created.status());
    } else if (entry instanceof StatusChanged change) {
      stored.put("to", change.to());
    } else if (entry instanceof Note note) {
      stored.put("text", note.text());
    }
    return stored;
  }

  /** The stored timeline, oldest first, each status entry with the status it left. */
  static List<HistoryEntry> history(JsonArray stored) {
    List<HistoryEntry> entries = new ArrayList<>(stored.size());
    String status = null; // unknown only for incidents stored before they had a history
    for (Object item : stored) {
      JsonObject entry = (JsonObject) item;
      Instant at = instant(entry.getJsonObject("at"));
      String actor = entry.getString("actor");
      switch (entry.getString("type")) {
        case "created" -> {
          status = entry.getString("status");
          entries.add(new Created(at, actor, status));
        }
        case "status" -> {
          String to = entry.getString("to");
          entries.add(new StatusChanged(at, actor, status, to));
          status = to;
        }
        case "note" -> entries.add(new Note(at, actor, entry.getString("text")));
        case "repeat" -> entries.add(new Repeat(at, actor));
        default -> throw new IllegalStateException("Unknown history entry type: " + entry.getString("type"));
      }
    }
    return entries;
  }

  /** One group of the {@code /channels} aggregation: {@code _id} is the channel, one count per status. */
  static ChannelSummary channelSummary(JsonObject group) {
    Map<String, Long> byStatus = new HashMap<>();
    Incident.STATUSES.forEach(status -> byStatus.put(status, group.getLong(status)));
    return new ChannelSummary(group.getString("_id"), group.getLong("total"), Map.copyOf(byStatus),
        instant(group.getJsonObject("lastIncidentAt")));
  }

  static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", Incident.iso(instant));
  }

  static Instant instant(JsonObject bsonDate) {
    return OffsetDateTime.parse(bsonDate.getString("$date")).toInstant();
  }
}
