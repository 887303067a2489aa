package com.incidenthub.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per finished HTTP request: method, path, status (or "closed" when the client left first) and
 * milliseconds, with the request's id. The path, never the query: a browser's WebSocket sends its token there.
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

  private AccessLog() {}

  public static void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(ended -> RequestId.log(() -> LOG.info("{} {} {} {}ms",
        ctx.request().method(), ctx.request().path(), ended.succeeded() ? ctx.response().getStatusCode() : "closed",
        (System.nanoTime() - started) / 1_000_000)));
    ctx.next();
  }
}
