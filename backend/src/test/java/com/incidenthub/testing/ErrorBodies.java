package com.incidenthub.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** The API's error shape, written out for exact assertions. */
public final class ErrorBodies {
  private ErrorBodies() {}

  /** A 400 for one broken rule: its message is both the summary and the field's detail. */
  public static JsonObject invalidField(String field, String message) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", "VALIDATION_FAILED")
        .put("message", message)
        .put("details", new JsonArray().add(new JsonObject().put("field", field).put("message", message))));
  }

  public static String errorCode(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getJsonObject("error").getString("code");
  }
}
