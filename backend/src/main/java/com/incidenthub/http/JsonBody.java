package com.incidenthub.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.UnaryOperator;

/** Reads, parses and validates a JSON request body; the handlers after it take the result with {@link #of}. */
public final class JsonBody {
  public static final int LIMIT_BYTES = 64 * 1024;
  private static final String KEY = "validated-body";

  private JsonBody() {}

  /** Buffers the body up to {@link #LIMIT_BYTES}; larger ones fail with 413 before they are read to the end. */
  public static BodyHandler reader() {
    return BodyHandler.create(false).setBodyLimit(LIMIT_BYTES);
  }

  /** Parses the body, applies {@code normalise} to an object, and lets the request on only when the schema accepts it. */
  public static Handler<RoutingContext> validated(RequestSchema schema, UnaryOperator<JsonObject> normalise) {
    return ctx -> {
      if (!isJson(ctx.request().getHeader("Content-Type"))) {
        ctx.fail(new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json"));
        return;
      }
      Buffer raw = ctx.body().buffer();
      if (raw == null || raw.length() == 0) {
        ctx.fail(HubException.invalid("body", "The body is empty; send a JSON object"));
        return;
      }
      Object parsed = Json.decodeValue(raw);
      Object body = parsed instanceof JsonObject object ? normalise.apply(object) : parsed;
      List<HubException.FieldError> violations = schema.violations(body);
      if (!violations.isEmpty()) {
        ctx.fail(HubException.invalid(violations));
        return;
      }
      ctx.put(KEY, body);
      ctx.next();
    };
  }

  /** The body {@link #validated} accepted: always a JSON object, since every schema asks for one. */
  public static JsonObject of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private static boolean isJson(String contentType) {
    return contentType != null && contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/json");
  }
}
