package com.incidenthub.loadtest;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** {@code rest}: K closed-loop keep-alive connections for D seconds with a create/list/patch mix. */
@Command(name = "rest", sortOptions = false, footer = RestScenario.FOOTER,
    description = "closed loop: K keep-alive connections for D s, each sending its next request when the"
        + " previous one is answered")
final class RestScenario extends Scenario {

  static final String FOOTER = """

      A closed loop sends less while the hub stalls, so its raw latencies under-report the stall \
      (coordinated omission). The summary also gives each request type's latencies corrected for it \
      (latencyMsCorrected), as wrk does: a request slower than the run's mean interval per connection \
      stands for the requests its connection would have sent meanwhile.%n""" + LoadTest.FOOTER;

  @Option(names = "--connections", paramLabel = "K", defaultValue = "32",
      description = "keep-alive connections, one request in flight on each (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--channels", paramLabel = "C", defaultValue = "20",
      description = "channels the creates and lists go to (default: ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--mix", paramLabel = "MIX", defaultValue = "create=1",
      description = "request types and their weights, e.g. create=8,list=1,patch=1 (default: ${DEFAULT-VALUE})")
  String mixSpec;

  @Mixin
  PhaseOptions timing;

  @Override
  Result run() throws InterruptedException {
    int duration = timing.duration();
    int warmup = timing.warmup();
    UsageException.requireWithin("--connections", connections, 1, 1_024);
    UsageException.requireWithin("--channels", channels, 1, 1_000);
    RequestMix mix = RequestMix.parse(mixSpec);
    Target target = common.target();
    ProcStats server = common.server();
    int eventLoops = common.eventLoops();
    ServerProfiler profiler = common.profiler();
    SocketFleet.checkFileLimits(connections, server);
    String runId = newRunId();

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
      profiler.start(); // before the samples: attaching costs the hub CPU the run does not
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
        progress.line("requests %d (%d/s)  creates %d (%d/s)  create p99 of the second %.1f ms  errors %d",
            total, total - lastTotal, creates, creates - lastCreates,
            LatencyRecorder.percentileMillis(stats.latency(RequestMix.Op.CREATE).interval(), 99), stats.failed());
        lastTotal = total;
        lastCreates = creates;
      }
      if (!all.isComplete()) {
        result.fail("requests still unanswered 35 s after the deadline");
      }
      long end = System.nanoTime();
      ProcStats.Sample server1 = server == null ? null : server.sample();
      ProcStats.Sample self1 = self.sample();
      profiler.stop(); // after the samples: writing the profile costs the hub CPU the run did not
      double seconds = (end - start) / 1e9;

      long expectedInterval = RestStats.expectedIntervalMicros(seconds, connections, stats.total());
      result.summary().mergeIn(stats.toJson(seconds, expectedInterval))
          .put("elapsedSeconds", Math.round(seconds * 1000) / 1000.0)
          .put("machine", machine.toJson())
          .put("harnessLoopLagMs", loops.lagJson());
      profiler.describeIn(result.summary());
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
      Histogram creates = stats.latency(RequestMix.Op.CREATE).total();
      Histogram createsCorrected = creates.copyCorrectedForCoordinatedOmission(expectedInterval);
      result.headline("connections=%d duration=%ds mix=%s requests/s=%.0f creates/s=%.0f create p50=%.1fms p99=%.1fms"
              + " max=%.1fms correctedP99=%.1fms errors=%d%s cpuPressure=%s%%",
          connections, duration, mix, stats.total() / seconds, stats.ok(RequestMix.Op.CREATE) / seconds,
          LatencyRecorder.percentileMillis(creates, 50), LatencyRecorder.percentileMillis(creates, 99),
          LatencyRecorder.maxMillis(creates), LatencyRecorder.percentileMillis(createsCorrected, 99), stats.failed(),
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
