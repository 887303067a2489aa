package com.incidenthub.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Every request's id: the client's {@code X-Request-Id} when it is 1-64 characters of {@code A-Za-z0-9._-}, else a
 * new one. It goes back on the response, and stays on the request's Vert.x context for the lines logged for it.
 */
public final class RequestId {
  public static final String HEADER = "X-Request-Id";
  /** The MDC key the log lines carry it under ({@code mdc.requestId} in JSON). */
  public static final String MDC_KEY = "requestId";

  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestId() {}

  /** The first handler of every request: before any other can answer, so that error responses carry it too. */
  public static void assign(RoutingContext ctx) {
    String offered = ctx.request().getHeader(HEADER);
    String id = offered != null && ACCEPTED.matcher(offered).matches() ? offered : generate();
    RequestLocals.REQUEST_ID.put(Vertx.currentContext(), id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The id of the request whose work is running now, if any. */
  public static Optional<String> current() {
    Context context = Vertx.currentContext();
    return context == null ? Optional.empty() : Optional.ofNullable(RequestLocals.REQUEST_ID.get(context));
  }

  /**
   * Runs {@code logging} with the current request's id in the MDC. An event loop interleaves many requests on one
   * thread, so the thread-local MDC holds the id only while this request's lines are written.
   */
  public static void log(Runnable logging) {
    Optional<String> id = current();
    if (id.isEmpty()) {
      logging.run();
      return;
    }
    try (MDC.MDCCloseable scope = MDC.putCloseable(MDC_KEY, id.get())) {
      logging.run();
    }
  }

  /** 128 random bits in hex: unique enough to find one request, and cheaper than a secure random UUID. */
  private static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return hex(random.nextLong()) + hex(random.nextLong());
  }

  private static String hex(long bits) {
    String digits = Long.toHexString(bits);
    return "0".repeat(16 - digits.length()) + digits;
  }
}
