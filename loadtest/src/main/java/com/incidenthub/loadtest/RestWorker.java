package com.incidenthub.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;

/**
 * One closed-loop client of {@code rest}: sends a request, waits for the whole answer, checks it, sends
 * the next, until the deadline. K workers on K keep-alive connections give K requests in flight.
 */
final class RestWorker {

  /** Enough recent ids to always have one to patch, few enough to keep patches on fresh incidents. */
  private static final int RECENT_IDS = 64;

  private final int index;
  private final Context context;
  private final HttpClient http;
  private final Target target;
  private final RequestMix mix;
  private final RestStats warmupStats;
  private final RestStats stats;
  private final long measureFromNanos;
  private final String runId;
  private final int channels;
  private final long deadlineNanos;
  private final ArrayDeque<String> recentIds = new ArrayDeque<>();
  private long n;

  /**
   * Requests that start before {@code measureFromNanos} go to {@code warmupStats}: the harness is a fresh
   * JVM each run and its first seconds say more about its own JIT than about the server.
   */
  RestWorker(int index, Context context, HttpClient http, Target target, RequestMix mix, RestStats warmupStats,
             RestStats stats, String runId, int channels, long measureFromNanos, long deadlineNanos) {
    this.index = index;
    this.context = context;
    this.http = http;
    this.target = target;
    this.mix = mix;
    this.warmupStats = warmupStats;
    this.stats = stats;
    this.measureFromNanos = measureFromNanos;
    this.runId = runId;
    this.channels = channels;
    this.deadlineNanos = deadlineNanos;
  }

  /** Runs the loop on the worker's event loop; completes at the deadline. */
  Future<Void> start() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> next(done));
    return done.future();
  }

  private void next(Promise<Void> done) {
    if (System.nanoTime() >= deadlineNanos) {
      done.complete();
      return;
    }
    // Offset by the worker index so that the K workers do not all list at the same moment.
    RequestMix.Op op = mix.pick(n + index);
    if (op == RequestMix.Op.PATCH && recentIds.isEmpty()) {
      op = RequestMix.Op.CREATE;
    }
    long seq = n++;
    String channel = "lt-" + runId + "-" + ((index + seq) % channels);
    RequestMix.Op chosen = op;
    long start = System.nanoTime();
    RestStats into = start < measureFromNanos ? warmupStats : stats;
    Future<String> outcome = switch (op) {
      case CREATE -> create(channel, seq);
      case LIST -> list(channel, seq);
      case PATCH -> patch(recentIds.pollFirst());
    };
    outcome.onComplete(ar -> {
      long micros = (System.nanoTime() - start) / 1_000;
      if (ar.succeeded() && ar.result() == null) {
        into.succeeded(chosen, micros);
      } else {
        into.failed(chosen, micros, ar.succeeded() ? ar.result() : "io " + ar.cause().getClass().getSimpleName());
      }
      next(done);
    });
  }

  /** Each request future yields null when the answer is right, or a short reason when it is not. */
  private Future<String> create(String channel, long seq) {
    Buffer body = new JsonObject()
        .put("title", "lt-" + runId + " rest w" + index + " n" + seq)
        .put("severity", Severities.nth(seq))
        .put("channel", channel)
        .put("message", "load test")
        .toBuffer();
    return exchange(HttpMethod.POST, "/incidents", body, 201, json -> {
      JsonObject data = json.getJsonObject("data");
      if (data == null || data.getString("id") == null || !channel.equals(data.getString("channel"))) {
        return "body";
      }
      if (recentIds.size() == RECENT_IDS) {
        recentIds.pollFirst();
      }
      recentIds.addLast(data.getString("id"));
      return null;
    });
  }

  private Future<String> list(String channel, long seq) {
    // Filters and paging as the dashboard uses them: one channel, unresolved, first or second page.
    String query = "?channel=" + channel + "&status=open,acknowledged&limit=20&offset=" + ((seq / 2) % 2 * 20);
    return exchange(HttpMethod.GET, "/incidents" + query, null, 200, json -> {
      JsonArray data = json.getJsonArray("data");
      JsonObject page = json.getJsonObject("page");
      return data != null && page != null && page.getInteger("total") != null && data.size() <= 20 ? null : "body";
    });
  }

  private Future<String> patch(String id) {
    Buffer body = new JsonObject().put("status", "acknowledged").toBuffer();
    return exchange(HttpMethod.PATCH, "/incidents/" + id, body, 200, json -> {
      JsonObject data = json.getJsonObject("data");
      return data != null && "acknowledged".equals(data.getString("status")) ? null : "body";
    });
  }

  private interface BodyCheck {
    String check(JsonObject json);
  }

  private Future<String> exchange(HttpMethod method, String path, Buffer body, int expectedStatus,
                                  BodyCheck check) {
    var options = target.request(method, path);
    if (body != null) {
      options.putHeader("content-type", "application/json");
    }
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(buffer -> {
          if (response.statusCode() != expectedStatus) {
            return "status " + response.statusCode();
          }
          try {
            return check.check(buffer.toJsonObject());
          } catch (RuntimeException e) {
            return "body";
          }
        }));
  }
}
