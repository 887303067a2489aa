package com.incidenthub.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A failure the client should hear about in the API's error shape, rather than as a generic 500. */
public final class HubException extends RuntimeException {
  private final ErrorCode code;
  private final List<FieldError> details;

  public HubException(ErrorCode code, String message) {
    this(code, message, List.of(), null);
  }

  public HubException(ErrorCode code, String message, List<FieldError> details, Throwable cause) {
    super(message, cause, false, false);
    this.code = code;
    this.details = List.copyOf(details);
  }

  public static HubException invalid(List<FieldError> details) {
    String summary = details.size() == 1 ? details.get(0).message() : details.size() + " fields are invalid";
    return new HubException(ErrorCode.VALIDATION_FAILED, summary, details, null);
  }

  public static HubException invalid(String field, String message) {
    return invalid(List.of(new FieldError(field, message)));
  }

  public static HubException notFound(String id) {
    return new HubException(ErrorCode.NOT_FOUND, "No incident with id '" + id + "'");
  }

  public static HubException databaseUnavailable(Throwable cause) {
    return new HubException(ErrorCode.DATABASE_UNAVAILABLE, "The database is not reachable; try again shortly",
        List.of(), cause);
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> details() {
    return details;
  }

  public JsonObject toJson() {
    JsonArray fields = new JsonArray();
    details.forEach(detail -> fields.add(detail.toJson()));
    return new JsonObject().put("error", new JsonObject()
        .put("code", code.name())
        .put("message", getMessage())
        .put("details", fields));
  }

  /** One broken rule: which field (body property or query parameter) and what it must be. */
  public record FieldError(String field, String message) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("message", message);
    }
  }
}
