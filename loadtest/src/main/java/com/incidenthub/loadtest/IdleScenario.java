package com.incidenthub.loadtest;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code idle}: N sockets that only listen, held for D seconds. With the server's pid it also reports the
 * server's resident memory before and after, and so the memory one idle socket costs.
 */
@Command(name = "idle", sortOptions = false, footer = LoadTest.FOOTER,
    description = "N sockets held open for D s; with --server-pid reports the hub's RSS per socket (from /proc)")
final class IdleScenario extends Scenario {

  @Option(names = "--sockets", paramLabel = "N", defaultValue = "10000",
      description = "sockets to open (default: ${DEFAULT-VALUE})")
  int sockets;

  @Option(names = "--duration", paramLabel = "D", defaultValue = "30",
      description = "seconds to hold them once open (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--channels", paramLabel = "C", defaultValue = "0",
      description = "channels the sockets subscribe to, socket s to channel s %% C; 0 = all channels"
          + " (default: ${DEFAULT-VALUE})")
  int channels;

  @Mixin
  SocketOptions socketOptions;

  @Override
  Result run() throws InterruptedException {
    UsageException.requireWithin("--sockets", sockets, 1, 50_000);
    UsageException.requireWithin("--duration", duration, 1, 600);
    UsageException.requireWithin("--channels", channels, 0, 1_000);
    int batch = socketOptions.connectBatch();
    boolean compression = socketOptions.wsCompression;
    Target target = common.target();
    ProcStats server = common.server();
    int eventLoops = common.eventLoops();
    ServerProfiler profiler = common.profiler();
    SocketFleet.checkFileLimits(sockets, server);
    String runId = newRunId();

    Result result = new Result("idle");
    result.summary()
        .put("target", new JsonObject().put("url", target.url).put("wsUrl", target.wsUrl))
        .put("config", new JsonObject().put("sockets", sockets).put("duration", duration)
            .put("connectBatch", batch).put("channels", channels == 0 ? "all" : channels)
            .put("wsCompression", compression).put("eventLoops", eventLoops));

    Progress progress = new Progress("idle");
    MachineLoad machine = new MachineLoad();
    LongAdder messages = new LongAdder();
    try (EventLoops loops = EventLoops.start(eventLoops)) {
      HttpClient http = loops.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
      Integer healthBefore = healthSockets(http, target);
      // Before the first RSS reading, so that the profiler's own memory is not counted against the sockets.
      profiler.start();
      Long rssBefore = server == null ? null : server.rssKib();

      SocketFleet fleet = new SocketFleet(loops, List.of(target), sockets, compression);
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
            server == null ? "" : rssLine(server.rssKib(), rssBefore, fleet.subscribed()));
      }
      Long rssEnd = server == null ? null : server.rssKib();
      profiler.stop();
      profiler.describeIn(result.summary());

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
            .put("kibPerSocketAfterOpen", kibPerSocket(rssOpen - rssBefore, fleet.subscribed()))
            .put("kibPerSocketAtEnd", kibPerSocket(rssEnd - rssBefore, fleet.subscribed())));
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
              rssBefore, rssOpen, rssEnd, kibPerSocket(rssOpen - rssBefore, fleet.subscribed()),
              kibPerSocket(rssEnd - rssBefore, fleet.subscribed())));
      fleet.closeAll();
      http.close();
    }
    return result;
  }

  /** What the hub's resident memory grew by per subscribed socket, in KiB (two decimals). */
  private static double kibPerSocket(long grownKib, int sockets) {
    return sockets == 0 ? 0.0 : Math.round(grownKib * 100.0 / sockets) / 100.0;
  }

  private static String rssLine(long rssKib, long rssBeforeKib, int sockets) {
    return String.format(Locale.ROOT, "  server rss %d MiB (%.1f KiB per socket)", rssKib / 1024,
        kibPerSocket(rssKib - rssBeforeKib, sockets));
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
