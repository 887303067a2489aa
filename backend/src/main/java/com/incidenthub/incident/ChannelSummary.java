package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** One line of {@code GET /channels}: a channel's incidents, counted in all and per status. */
public record ChannelSummary(String name, long total, Map<String, Long> byStatus, Instant lastIncidentAt) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("total", total);
    Incident.STATUSES.forEach(status -> json.put(status, byStatus.getOrDefault(status, 0L)));
    return json.put("lastIncidentAt", Incident.iso(lastIncidentAt));
  }
}
