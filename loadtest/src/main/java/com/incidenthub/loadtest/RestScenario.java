package com.incidenthub.loadtest;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** {@code rest}: K closed-loop keep-alive connections for D seconds with a create/list/patch mix. */
final class RestScenario {

  static final Set<String> OPTIONS = Set.of("connections", "duration", "mix", "channels", "warmup");

  private RestScenario() {
  }

  static Result run(Options options, Target target, ProcStats server, int eventLoops) throws InterruptedException {
    int connections = options.integer("connections", 32, 1, 1_024);
    int duration = options.integer("duration", 30, 1, 600);
    int channels = options.integer("channels", 20, 1, 1_000);
    int warmup = options.integer("warmup", 5, 0, 60);
    RequestMix mix = RequestMix.parse(options.string("mix", "create=1"));
    SocketFleet.checkFileLimits(connections, server);
    String runId = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);

    Result result = new Result("rest");
    result.summary()
        .put("target", new JsonObject().put("url", target.url))
        .put("config", new JsonObject().put("connections", connections).put("duration", duration)
            .put("mix", mix.toString()).put("channels", channels).put("warmup", warmup).put("eventLoops", eventLoops)
            .put("runId", runId));

    Progress progress = new Progress("rest");
    RestStats warmupStats = new RestStats();
    RestStats stats = new RestStats();
    ProcStats self = ProcStats.self();
    try (EventLoops loops = EventLoops.start(eventLoops)) {
      // One client per event loop, sized to the workers on that loop: each worker keeps one connection busy.
      List<HttpClient> clients = new ArrayList<>();
      for (int l = 0; l < loops.size(); l++) {
        int workersHere = (connections - l + loops.size() - 1) / loops.size();
        clients.add(loops.vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(Math.max(1, workersHere))));
      }

      long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
      long deadline = measureFrom + TimeUnit.SECONDS.toNanos(duration);
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < connections; w++) {
        int loop = w % loops.size();
        workers.add(new RestWorker(w, loops.pick(loop), clients.get(loop), target, mix, warmupStats, stats, runId,
            channels, measureFrom, deadline).start());
      }
      for (long left = measureFrom - System.nanoTime(); left > 0; left = measureFrom - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
        progress.line("warm-up: requests %d  errors %d", warmupStats.total(), warmupStats.failed());
      }
      ProcStats.Sample server0 = server == null ? null : server.sample();
      ProcStats.Sample self0 = self.sample();
      MachineLoad machine = new MachineLoad();
      loops.resetLag();
      long start = System.nanoTime();
      Future<?> all = Future.join(workers);

      long lastTotal = 0;
      long lastCreates = 0;
      // Bounded: the deadline plus the longest a last request may take (the client's idle timeout).
      long hardStop = deadline + TimeUnit.SECONDS.toNanos(35);
      while (!all.isComplete() && System.nanoTime() < hardStop) {
        TimeUnit.SECONDS.sleep(1);
        long total = stats.total();
        long creates = stats.ok(RequestMix.Op.CREATE);
        progress.line("requests %d (%d/s)  creates %d (%d/s)  create p99 %.1f ms  errors %d",
            total, total - lastTotal, creates, creates - lastCreates,
            stats.latency(RequestMix.Op.CREATE).percentileMicros(0.99) / 1000.0, stats.failed());
        lastTotal = total;
        lastCreates = creates;
      }
      if (!all.isComplete()) {
        result.fail("requests still unanswered 35 s after the deadline");
      }
      long end = System.nanoTime();
      ProcStats.Sample server1 = server == null ? null : server.sample();
      ProcStats.Sample self1 = self.sample();
      double seconds = (end - start) / 1e9;

      result.summary().mergeIn(stats.toJson(seconds)).put("elapsedSeconds", Math.round(seconds * 1000) / 1000.0)
          .put("machine", machine.toJson())
          .put("harnessLoopLagMs", loops.lagJson());
      if (server != null) {
        result.summary().put("serverCpu", server.cpuJson(server0, server1, seconds, stats.total(), "Requests"));
      }
      result.summary().put("harnessCpu", self.cpuJson(self0, self1, seconds, stats.total(), "Requests"));
      if (warmup > 0) {
        result.summary().put("warmup", new JsonObject().put("seconds", warmup).put("requests", warmupStats.total())
            .put("failed", warmupStats.failed()));
      }
      result.failIfPositive(stats.failed(), "failed requests")
          .failIfPositive(warmupStats.failed(), "failed warm-up requests");
      LatencyRecorder creates = stats.latency(RequestMix.Op.CREATE);
      result.headline("connections=%d duration=%ds mix=%s requests/s=%.0f creates/s=%.0f create p50=%.1fms p99=%.1fms"
              + " max=%.1fms errors=%d%s cpuPressure=%s%%",
          connections, duration, mix, stats.total() / seconds, stats.ok(RequestMix.Op.CREATE) / seconds,
          creates.percentileMicros(0.5) / 1000.0, creates.percentileMicros(0.99) / 1000.0,
          creates.maxMicros() / 1000.0, stats.failed(),
          server == null ? "" : String.format(Locale.ROOT,
              " serverCpu=%.0fms/1000requests serverRunQueueWait=%ss",
              result.summary().getJsonObject("serverCpu").getDouble("cpuMsPer1000Requests"),
              result.summary().getJsonObject("serverCpu").getValue("runQueueWaitSeconds")),
          result.summary().getJsonObject("machine").getValue("cpuPressureSomePercent"));
      clients.forEach(HttpClient::close);
    }
    return result;
  }
}
