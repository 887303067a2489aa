package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Maps incidents to the documents MongoDB stores and back; the BSON shapes (dates as {@code $date}) live only here. */
final class IncidentDocuments {
  /** The stored fields, as the projection of every read: what the service does not know it does not load. */
  static final JsonObject FIELDS = new JsonObject()
      .put("_id", 1).put("channel", 1).put("title", 1).put("message", 1).put("severity", 1)
      .put("status", 1).put("createdAt", 1).put("updatedAt", 1).put("version", 1)
      .put("createdBy", 1).put("updatedBy", 1);

  private IncidentDocuments() {}

  static JsonObject toDocument(Incident incident) {
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
        .put("createdBy", incident.createdBy())
        .put("updatedBy", incident.updatedBy());
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
        document.getString("updatedBy", Incident.ANONYMOUS));
  }

  static JsonObject date(Instant instant) {
    return new JsonObject().put("$date", Incident.iso(instant));
  }

  static Instant instant(JsonObject bsonDate) {
    return OffsetDateTime.parse(bsonDate.getString("$date")).toInstant();
  }
}
