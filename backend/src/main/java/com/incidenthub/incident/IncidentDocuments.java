package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Maps incidents to the documents MongoDB stores and back; the BSON shapes (dates as {@code $date}) live only here. */
final class IncidentDocuments {
  /** The stored fields, as the projection of every read: what the service does not know it does not load. */
  static final JsonObject FIELDS = new JsonObject()
      .put("_id", 1).put("channel", 1).put("title", 1).put("message", 1).put("severity", 1)
      .put("status", 1).put("createdAt", 1).put("updatedAt", 1).put("version", 1).put("seq", 1);

  private IncidentDocuments() {}

  /** The document of {@code incident} as stored by the change that took {@code seq}. */
  static JsonObject toDocument(Incident incident, long seq) {
    return new JsonObject()
        .put("_id", incident.id())
        .put("channel", incident.channel())
        .put("title", incident.title())
        .put("message", incident.message())
        .put("severity", incident.severity())
        .put("status", incident.status())
        .put("createdAt", date(incident.createdAt()))
        .put("updatedAt", date(incident.updatedAt()))
        .put("version", incident.version())
        .put("seq", seq);
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
        document.getInteger("version"));
  }

  static Change changeFromDocument(JsonObject document) {
    return new Change(fromDocument(document), document.getLong("seq"));
  }

  static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", Incident.iso(instant));
  }

  static Instant instant(JsonObject bsonDate) {
    return OffsetDateTime.parse(bsonDate.getString("$date")).toInstant();
  }
}
