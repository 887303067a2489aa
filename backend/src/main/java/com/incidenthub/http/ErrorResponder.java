package com.incidenthub.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: every failed request ends here and leaves in the API's error shape. A client's mistake is
 * answered and not logged (the access log has its status); only a fault of ours is logged, once, with its cause.
 */
public final class ErrorResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private ErrorResponder() {}

  public static void respond(RoutingContext ctx) {
    HubException error = toHubException(ctx);
    if (ctx.response().closed()) {
      // The client went away (or a deadline closed the connection): nobody is left to answer.
      RequestId.log(() -> LOG.debug("{} {} ended with the connection closed: {}", ctx.request().method(),
          ctx.request().path(), ctx.failure() == null ? error.code() : ctx.failure().toString()));
      return;
    }
    RequestId.log(() -> logFailure(ctx, error));
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    respond(ctx.request(), error);
  }

  /**
   * Answers {@code error} in the error shape. A request whose body has not been read to the end is answered with
   * {@code Connection: close} and the connection closed, rather than reading (and throwing away) the rest of a body
   * nobody wants.
   */
  public static void respond(HttpServerRequest request, HubException error) {
    HttpServerResponse response = request.response();
    boolean close = bodyPending(request) || "close".equalsIgnoreCase(response.headers().get("Connection"));
    if (close) {
      response.putHeader("Connection", "close");
    }
    response
        .setStatusCode(error.code().status())
        .putHeader("Content-Type", "application/json")
        .end(error.toJson().encode())
        .onComplete(sent -> {
          if (close) {
            request.connection().close();
          }
        });
  }

  /** A body was announced and has not been read to its end. A request without one has not "ended" either, yet. */
  private static boolean bodyPending(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader("Content-Length");
    return request.headers().contains("Transfer-Encoding") || (length != null && !length.equals("0"));
  }

  /**
   * The server's answer to bytes that are not an HTTP request at all (Netty could not parse them): the status the
   * parser's complaint calls for, in the error shape; Vert.x closes the connection after it.
   */
  public static void respondToUnparseable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    HubException error;
    if (cause instanceof TooLongHttpLineException) {
      error = new HubException(ErrorCode.URI_TOO_LONG, "The request line is longer than "
          + HttpLimits.MAX_REQUEST_LINE_BYTES + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new HubException(ErrorCode.HEADERS_TOO_LARGE, "The request headers are larger than "
          + HttpLimits.MAX_HEADER_BYTES + " bytes");
    } else {
      error = new HubException(ErrorCode.MALFORMED_REQUEST, "The request is not valid HTTP/1.1: "
          + (cause == null ? "unreadable" : cause.getMessage()));
    }
    LOG.debug("Unparseable request from {}: {}", request.remoteAddress(), error.getMessage());
    request.response().putHeader("Connection", "close");
    respond(request, error);
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
      case 400 -> new HubException(ErrorCode.MALFORMED_REQUEST, "The request is not valid HTTP"
          + (failure instanceof HttpException || failure == null ? "" : ": " + failure.getMessage()));
      case 404 -> new HubException(ErrorCode.NOT_FOUND, "Nothing at " + ctx.request().path());
      case 413 -> new HubException(ErrorCode.PAYLOAD_TOO_LARGE,
          "The body is larger than " + JsonBody.LIMIT_BYTES + " bytes");
      case 416 -> new HubException(ErrorCode.RANGE_NOT_SATISFIABLE, "The Range header asks for bytes the file does "
          + "not have");
      case 417 -> new HubException(ErrorCode.EXPECTATION_FAILED, "Expect: " + ctx.request().getHeader("Expect")
          + " cannot be met; only 100-continue is understood");
      default -> new HubException(ErrorCode.INTERNAL, "Something went wrong on our side; it has been logged");
    };
  }
}
