package com.incidenthub.http;

import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one failure handler: every failed request ends here and leaves in the API's error shape. */
public final class ErrorResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private ErrorResponder() {}

  public static void respond(RoutingContext ctx) {
    HubException error = toHubException(ctx);
    RequestId.log(() -> logFailure(ctx, error));
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.code().status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode());
  }

  private static void logFailure(RoutingContext ctx, HubException error) {
    if (error.code() == ErrorCode.DATABASE_UNAVAILABLE) {
      // An outage fails every request the same way; its cause in one line each, not a stack trace each.
      LOG.warn("{} {} failed with {}: {}", ctx.request().method(), ctx.request().path(), error.code(),
          error.getCause() == null ? error.getMessage() : error.getCause().getMessage());
    } else if (error.code().status() >= 500) {
      LOG.error("{} {} failed with {}", ctx.request().method(), ctx.request().path(), error.code(), ctx.failure());
    }
  }

  private static HubException toHubException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HubException known) {
      return known;
    }
    if (failure instanceof DecodeException) {
      return new HubException(ErrorCode.MALFORMED_JSON, "The body is not valid JSON");
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return switch (status) {
      case 400 -> new HubException(ErrorCode.VALIDATION_FAILED, "The request is invalid");
      case 404 -> new HubException(ErrorCode.NOT_FOUND, "Nothing at " + ctx.request().path());
      case 413 -> new HubException(ErrorCode.PAYLOAD_TOO_LARGE,
          "The body is larger than " + JsonBody.LIMIT_BYTES + " bytes");
      default -> new HubException(ErrorCode.INTERNAL, "Something went wrong on our side; it has been logged");
    };
  }
}
