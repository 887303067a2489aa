package com.incidenthub.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The API's success shape and the two failures every route table ends with: unknown path and wrong method. */
public final class Responses {
  private Responses() {}

  /** Answers {@code {"data": ...}} with the status already set on the response (200 unless changed). */
  public static void sendData(RoutingContext ctx, Object data) {
    send(ctx, new JsonObject().put("data", data));
  }

  public static void send(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  public static void notFound(RoutingContext ctx) {
    ctx.fail(new HubException(ErrorCode.NOT_FOUND, "Nothing at " + ctx.request().method() + " " + ctx.request().path()));
  }

  /** The last route of a path: any method not routed before it is 405, with the {@code Allow} header. */
  public static Handler<RoutingContext> methodNotAllowed(String allowed) {
    return ctx -> {
      ctx.response().putHeader("Allow", allowed);
      ctx.fail(new HubException(ErrorCode.METHOD_NOT_ALLOWED,
          ctx.request().method() + " is not allowed on " + ctx.request().path() + "; allowed: " + allowed));
    };
  }
}
