package com.incidenthub.loadtest;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code idle}: N sockets that only listen, held for D seconds. With the server's pid it also reports the
 * server's resident memory before and after, and so the memory one idle socket costs.
 */
final class IdleScenario {

  static final Set<String> OPTIONS = Set.of("sockets", "duration", "connect-batch", "channels");

  private IdleScenario() {
  }

  static Result run(Options options, Target target, ProcStats server, int eventLoops) throws InterruptedException {
    int sockets = options.integer("sockets", 10_000, 1, 50_000);
    int duration = options.integer("duration", 30, 1, 600);
    int batch = options.integer("connect-batch", 200, 1, 5_000);
    int channels = options.integer("channels", 0, 0, 1_000);
    SocketFleet.checkFileLimits(sockets, server);
    String runId = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);

    Result result = new Result("idle");
    result.summary()
        .put("target", new JsonObject().put("url", target.url).put("wsUrl", target.wsUrl))
        .put("config", new JsonObject().put("sockets", sockets).put("duration", duration)
            .put("connectBatch", batch).put("channels", channels == 0 ? "all" : channels)
            .put("wsCompression", options.flag("ws-compression")).put("eventLoops", eventLoops));

    Progress progress = new Progress("idle");
    MachineLoad machine = new MachineLoad();
    LongAdder messages = new LongAdder();
    try (EventLoops loops = EventLoops.start(eventLoops)) {
      HttpClient http = loops.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
      Integer healthBefore = healthSockets(http, target);
      Long rssBefore = server == null ? null : server.rssKib();

      SocketFleet fleet = new SocketFleet(loops, target, sockets, options.flag("ws-compression"));
      long openStart = System.nanoTime();
      boolean allOpen = fleet.open(s -> channels == 0 ? "" : "channels=lt-" + runId + "-" + (s % channels),
          batch, 300, (socket, text, nanos) -> messages.increment(),
          () -> progress.line("opening: %d/%d subscribed, %d failed", fleet.subscribed(), sockets, fleet.failed()));
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      progress.line("%d/%d sockets subscribed in %.1f s", fleet.subscribed(), sockets, openSeconds);
      if (!allOpen) {
        result.fail("only " + fleet.subscribed() + " of " + sockets + " sockets subscribed");
      }

      Long rssOpen = server == null ? null : server.rssKib();
      Integer healthOpen = healthSockets(http, target);
      long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(duration);
      Integer healthLast = healthOpen;
      while (System.nanoTime() < holdEnd) {
        TimeUnit.SECONDS.sleep(1);
        healthLast = healthSockets(http, target);
        progress.line("holding: %d open  closed %d  server /health websockets %s%s",
            fleet.subscribed() - fleet.closedUnexpectedly(), fleet.closedUnexpectedly(),
            healthLast == null ? "?" : healthLast.toString(),
            server == null ? "" : "  server rss " + server.rssKib() / 1024 + " MiB");
      }
      Long rssEnd = server == null ? null : server.rssKib();

      result.summary()
          .put("sockets", fleet.toJson().put("openSeconds", Math.round(openSeconds * 1000) / 1000.0)
              .put("heldAtEnd", fleet.subscribed() - fleet.closedUnexpectedly())
              .put("messagesReceived", messages.sum()))
          .put("serverHealthWebsockets", new JsonObject().put("before", healthBefore).put("afterOpen", healthOpen)
              .put("atEnd", healthLast));
      if (server != null) {
        result.summary().put("serverRssKib", new JsonObject()
            .put("pid", server.pid())
            .put("before", rssBefore).put("afterOpen", rssOpen).put("atEnd", rssEnd)
            .put("kibPerSocketAfterOpen", perSocket(rssOpen - rssBefore, fleet.subscribed()))
            .put("kibPerSocketAtEnd", perSocket(rssEnd - rssBefore, fleet.subscribed())));
      }
      result.summary().put("harnessRssKib", ProcStats.self().rssKib()).put("machine", machine.toJson());

      result.failIfPositive(fleet.failed(), "sockets that failed to open")
          .failIfPositive(fleet.closedUnexpectedly(), "sockets closed while held");
      if (healthLast == null) {
        result.fail("GET /health did not answer");
      }
      result.headline("sockets=%d subscribed=%d heldAtEnd=%d health.websockets=%s%s", sockets, fleet.subscribed(),
          fleet.subscribed() - fleet.closedUnexpectedly(), healthLast,
          server == null ? "" : String.format(Locale.ROOT,
              " serverRss before=%dKiB afterOpen=%dKiB atEnd=%dKiB perSocket=%.1fKiB(afterOpen) %.1fKiB(atEnd)",
              rssBefore, rssOpen, rssEnd, (rssOpen - rssBefore) / (double) Math.max(1, fleet.subscribed()),
              (rssEnd - rssBefore) / (double) Math.max(1, fleet.subscribed())));
      fleet.closeAll();
      http.close();
    }
    return result;
  }

  private static Double perSocket(long kib, int sockets) {
    return sockets == 0 ? null : Math.round(kib * 100.0 / sockets) / 100.0;
  }

  /** The server's own count of open sockets, or null when /health does not answer within 5 s. */
  private static Integer healthSockets(HttpClient http, Target target) {
    try {
      JsonObject health = http.request(target.request(HttpMethod.GET, "/health"))
          .compose(request -> request.send())
          .compose(response -> response.body())
          .map(buffer -> buffer.toJsonObject())
          .await(5, TimeUnit.SECONDS);
      return health.getInteger("websockets");
    } catch (Exception e) {
      return null;
    }
  }
}
