package com.incidenthub.incident;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** What {@code POST /incidents} asks for, once the schema accepted it: the title trimmed, defaults applied. */
public record NewIncident(
    String channel,
    String title,
    String message,
    String severity,
    String status,
    Optional<String> dedupKey) {

  /** From a body the request schema accepted, its title trimmed before the length rules applied. */
  public static NewIncident fromBody(JsonObject body) {
    return new NewIncident(
        body.getString("channel", Incident.DEFAULT_CHANNEL),
        body.getString("title"),
        body.getString("message", ""),
        body.getString("severity"),
        body.getString("status", Incident.DEFAULT_STATUS),
        Optional.ofNullable(body.getString("dedupKey")));
  }
}
