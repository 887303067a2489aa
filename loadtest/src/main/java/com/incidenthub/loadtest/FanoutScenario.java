package com.incidenthub.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code fanout}: N sockets over C channels, creates at R per second for D seconds; every delivery is
 * checked and timed.
 */
@Command(name = "fanout", sortOptions = false, footer = LoadTest.FOOTER,
    description = "N sockets over C channels, creates at R/s for D s; every delivery checked and timed")
final class FanoutScenario extends Scenario {

  /** Upper bounds that keep one run's bookkeeping within a few hundred MB of harness heap. */
  private static final long MAX_CREATES = 2_000_000;
  private static final long MAX_TRACKED_BITS = 1L << 31;

  @Option(names = "--sockets", paramLabel = "N", defaultValue = "1000",
      description = "sockets to open (default: ${DEFAULT-VALUE})")
  int sockets;

  @Option(names = "--channels", paramLabel = "C", defaultValue = "10",
      description = "channels the sockets are spread over, socket s on channel s %% C (default: ${DEFAULT-VALUE})")
  int channels;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "50",
      description = "creates per second, open loop, round robin over the channels (default: ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--drain", paramLabel = "S", defaultValue = "10",
      description = "longest wait for late deliveries after the last create, in seconds (default: ${DEFAULT-VALUE})")
  int drain;

  @Option(names = "--post-connections", paramLabel = "P", defaultValue = "16",
      description = "keep-alive connections the creates are sent over (default: ${DEFAULT-VALUE})")
  int postConnections;

  @Option(names = "--reconnect-every", paramLabel = "S", defaultValue = "0",
      description = "during the measured phase every socket drops at a random time (on average every S seconds)"
          + " and resumes with its last cursor, on the next --url; deliveries must still arrive exactly once"
          + " (default: 0, sockets stay connected)")
  double reconnectEvery;

  @Option(names = "--cut-command", paramLabel = "CMD",
      description = "a shell command that cuts the cluster links between the nodes (for example iptables rules"
          + " in the nodes' network namespaces), run --cut-at seconds into the measured phase; --heal-command"
          + " undoes it --cut-for seconds later. Reports the delay of cross-node deliveries during the cut;"
          + " every delivery must still arrive once and no socket may close (default: no cut)")
  String cutCommand;

  @Option(names = "--heal-command", paramLabel = "CMD",
      description = "the shell command that restores what --cut-command cut; it also runs if the run ends early")
  String healCommand;

  @Option(names = "--cut-at", paramLabel = "S", defaultValue = "5",
      description = "seconds into the measured phase at which the cut starts (default: ${DEFAULT-VALUE})")
  double cutAt;

  @Option(names = "--cut-for", paramLabel = "S", defaultValue = "10",
      description = "seconds the cut lasts (default: ${DEFAULT-VALUE})")
  double cutFor;

  @Option(names = "--kill-command", paramLabel = "CMD",
      description = "a shell command that kills node --kill-node (for example kill -9 PID), run --kill-at"
          + " seconds into the measured phase; creates it refuses go to the next node, creates it never answers"
          + " are expected by nobody, and only its own sockets may lose deliveries or close (default: no kill)")
  String killCommand;

  @Option(names = "--kill-node", paramLabel = "N",
      description = "which --url the --kill-command kills, counting from 1")
  Integer killNode;

  @Option(names = "--kill-at", paramLabel = "S", defaultValue = "5",
      description = "seconds into the measured phase at which the node is killed (default: ${DEFAULT-VALUE})")
  double killAt;

  @Mixin
  SocketOptions socketOptions;

  @Mixin
  PhaseOptions timing;

  @Override
  Result run() throws InterruptedException {
    int duration = timing.duration();
    int warmup = timing.warmup();
    UsageException.requireWithin("--sockets", sockets, 1, 50_000);
    UsageException.requireWithin("--channels", channels, 1, 1_000);
    UsageException.requireWithin("--rate", rate, 1, 20_000);
    UsageException.requireWithin("--drain", drain, 1, 120);
    UsageException.requireWithin("--post-connections", postConnections, 1, 512);
    if (reconnectEvery < 0 || reconnectEvery > 3600) {
      throw new UsageException("--reconnect-every must be between 0 and 3600 seconds, got " + reconnectEvery);
    }
    int batch = socketOptions.connectBatch();
    boolean compression = socketOptions.wsCompression;
    if (channels > sockets) {
      throw new UsageException("--channels (" + channels + ") must not exceed --sockets (" + sockets + ")");
    }
    long creates = (long) rate * duration;
    if (creates > MAX_CREATES) {
      throw new UsageException("--rate x --duration is " + creates + " creates; the limit is " + MAX_CREATES);
    }
    if ((long) rate * warmup > MAX_CREATES) {
      throw new UsageException("--rate x --warmup is above " + MAX_CREATES + " creates");
    }
    if ((double) sockets * creates / channels > MAX_TRACKED_BITS) {
      throw new UsageException("sockets x creates per channel is too large to track; lower one of them");
    }
    List<Target> targets = common.targets();
    int killed = checkFaults(targets.size(), duration);
    ProcStats server = common.server();
    int eventLoops = common.eventLoops();
    ServerProfiler profiler = common.profiler();
    SocketFleet.checkFileLimits(sockets + postConnections, server);

    String runId = newRunId();
    String[] channelNames = new String[channels];
    for (int c = 0; c < channels; c++) {
      channelNames[c] = "lt-" + runId + "-" + c;
    }
    int[] socketChannel = new int[sockets];
    int[] socketNode = new int[sockets];
    for (int s = 0; s < sockets; s++) {
      socketChannel[s] = s % channels;
      socketNode[s] = s % targets.size(); // as the fleet connects them
    }

    Result result = new Result("fanout");
    result.summary()
        .put("targets", new JsonArray(targets.stream()
            .map(target -> new JsonObject().put("url", target.url).put("wsUrl", target.wsUrl)).toList()))
        .put("config", new JsonObject().put("sockets", sockets).put("channels", channels).put("rate", rate)
            .put("duration", duration).put("connectBatch", batch).put("postConnections", postConnections)
            .put("warmup", warmup).put("wsCompression", compression).put("reconnectEvery", reconnectEvery)
            .put("eventLoops", eventLoops).put("runId", runId)
            .put("cut", cutCommand == null ? null : new JsonObject().put("at", cutAt).put("for", cutFor)
                .put("cutCommand", cutCommand).put("healCommand", healCommand))
            .put("kill", killCommand == null ? null : new JsonObject().put("at", killAt).put("node", killNode)
                .put("command", killCommand)));

    Progress progress = new Progress("fanout");
    FanoutLedger ledger = new FanoutLedger(runId, channelNames, socketChannel, socketNode, targets.size(),
        (int) creates);
    ProcStats self = ProcStats.self();
    try (EventLoops loops = EventLoops.start(eventLoops, 1)) {
      SocketFleet fleet = new SocketFleet(loops, targets, sockets, compression);
      long openStart = System.nanoTime();
      Router router = new Router(ledger);
      boolean allOpen = fleet.open(s -> "channels=" + channelNames[socketChannel[s]], batch, 120,
          (socket, text, nanos) -> router.current.onMessage(socket, text, nanos),
          () -> progress.line("opening sockets: %d/%d subscribed, %d failed",
              fleet.subscribed(), sockets, fleet.failed()));
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      progress.line("%d/%d sockets subscribed in %.1f s", fleet.subscribed(), sockets, openSeconds);
      if (!allOpen) {
        fleet.closeAll();
        result.summary().put("sockets", fleet.toJson().put("openSeconds", round(openSeconds)));
        return result.headline("sockets=%d subscribed=%d failed=%d", sockets, fleet.subscribed(), fleet.failed())
            .fail("not every socket could subscribe; no creates were sent");
      }

      if (warmup > 0) {
        // The harness is a fresh JVM every run: let both sides' JIT settle on creates that are not counted.
        FanoutLedger warm = new FanoutLedger(runId + "w", channelNames, socketChannel, socketNode,
            targets.size(), rate * warmup);
        router.current = warm;
        CreateWriter warmWriter = new CreateWriter(loops, targets, warm, rate, warmup, postConnections);
        drive("warm-up", progress, warmWriter, warm, fleet, warmup, drain, result);
        warmWriter.close();
        JsonObject warmDeliveries = warm.toJson();
        result.summary().put("warmup", new JsonObject().put("seconds", warmup).put("creates", warmWriter.created())
            .put("deliveries", warmDeliveries.getLong("received")).put("lost", warmDeliveries.getLong("lost")));
        result.failIfPositive(warmDeliveries.getLong("lost"), "warm-up lost deliveries")
            .failIfPositive(warm.duplicates() + warm.outOfOrder() + warm.receiveErrors(), "warm-up wrong deliveries")
            .failIfPositive(warmWriter.errors(), "warm-up failed creates");
        router.current = ledger;
      }

      CreateWriter writer = new CreateWriter(loops, targets, ledger, rate, duration, postConnections);
      profiler.start(); // before the samples: attaching costs the hub CPU the run does not
      ProcStats.Sample server0 = server == null ? null : server.sample();
      ProcStats.Sample self0 = self.sample();
      MachineLoad machine = new MachineLoad();
      loops.resetLag();
      long start = System.nanoTime();
      fleet.reconnectEvery(reconnectEvery);
      FaultSchedule faults = faults(ledger, killed);
      try (faults) {
        faults.start(start);
        drive("measure", progress, writer, ledger, fleet, duration, drain, result);
      }
      long end = System.nanoTime();
      ProcStats.Sample server1 = server == null ? null : server.sample();
      ProcStats.Sample self1 = self.sample();
      profiler.stop(); // after the samples: writing the profile costs the hub CPU the run did not
      progress.line("done: deliveries %d of %d expected, pending %d", ledger.delivered(), ledger.expected(),
          ledger.pending());

      long lastDelivery = ledger.lastDeliveryNanos();
      double deliverySeconds = lastDelivery > start ? (lastDelivery - start) / 1e9 : 0;
      JsonObject deliveries = ledger.toJson();
      deliveries.put("perSecond",
          deliverySeconds > 0 ? CreateWriter.round1(ledger.delivered() / deliverySeconds) : 0.0);
      double wallSeconds = (end - start) / 1e9;

      result.summary()
          .put("sockets", fleet.toJson().put("openSeconds", round(openSeconds)))
          .put("creates", writer.toJson())
          .put("deliveries", deliveries)
          .put("deliveryLatencyMs", ledger.latency.toJsonMillis())
          .put("elapsedSeconds", round(wallSeconds))
          .put("machine", machine.toJson())
          .put("harnessLoopLagMs", loops.lagJson());
      JsonArray nodes = new JsonArray();
      for (int node = 0; node < targets.size(); node++) {
        nodes.add(new JsonObject().put("url", targets.get(node).url).mergeIn(ledger.nodeJson(node))
            .put("closed", fleet.closedOn(node)).put("creates", writer.nodeJson(node)));
      }
      result.summary().put("nodes", nodes);
      if (!faults.isEmpty()) {
        result.summary().put("faults", faults.toJson());
        faults.failures().forEach(result::fail);
      }
      if (cutCommand != null) {
        result.summary().put("crossNodeDuringCutMs", ledger.crossNodeDuringCut.toJsonMillis());
      }
      profiler.describeIn(result.summary());
      if (server != null) {
        result.summary().put("serverCpu",
            server.cpuJson(server0, server1, wallSeconds, ledger.delivered(), "Deliveries"));
      }
      result.summary().put("harnessCpu",
          self.cpuJson(self0, self1, wallSeconds, ledger.delivered(), "Deliveries"));

      // A killed node's own sockets lose what was made after it died, and close: only the others must not.
      long lostOnLiveNodes = 0;
      long closedOnLiveNodes = 0;
      long unansweredByLiveNodes = 0;
      for (int node = 0; node < targets.size(); node++) {
        if (node != killed) {
          lostOnLiveNodes += ledger.lostOn(node);
          closedOnLiveNodes += fleet.closedOn(node);
          unansweredByLiveNodes += writer.unansweredBy(node);
        }
      }
      String live = killed < 0 ? "" : " on the surviving nodes";
      result.failIfPositive(lostOnLiveNodes, "lost deliveries" + live)
          .failIfPositive(ledger.duplicates(), "duplicate deliveries")
          .failIfPositive(ledger.outOfOrder(), "out-of-order deliveries")
          .failIfPositive(ledger.receiveErrors(), "wrong or erroneous socket messages")
          .failIfPositive(writer.errors(), "failed creates")
          .failIfPositive(unansweredByLiveNodes, "creates left unanswered" + live)
          .failIfPositive(closedOnLiveNodes, "sockets closed during the run" + live)
          .failIfPositive(fleet.notRecovered(), "resumes answered recovered: false");

      JsonObject latency = ledger.latency.toJsonMillis();
      result.headline("sockets=%d channels=%d rate=%d/s duration=%ds creates=%d expected=%d received=%d lost=%d"
              + " duplicates=%d outOfOrder=%d deliveries/s=%.0f latency p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms"
              + " post p99=%.1fms%s%s%s cpuPressure=%s%%",
          sockets, channels, rate, duration, writer.created(), deliveries.getLong("expected"),
          deliveries.getLong("received"), deliveries.getLong("lost"), ledger.duplicates(), ledger.outOfOrder(),
          deliveries.getDouble("perSecond"), latency.getDouble("p50"), latency.getDouble("p90"),
          latency.getDouble("p99"), latency.getDouble("max"),
          LatencyRecorder.percentileMillis(writer.latency.total(), 99),
          reconnectEvery <= 0 ? "" : String.format(Locale.ROOT, " reconnects=%d recovered=%d notRecovered=%d replayed=%d",
              fleet.reconnects(), fleet.recovered(), fleet.notRecovered(), ledger.replayed()),
          faultHeadline(result.summary(), writer),
          server == null ? "" : String.format(Locale.ROOT,
              " serverCpu=%.0fms/1000deliveries serverRunQueueWait=%ss",
              result.summary().getJsonObject("serverCpu").getDouble("cpuMsPer1000Deliveries"),
              result.summary().getJsonObject("serverCpu").getValue("runQueueWaitSeconds")),
          result.summary().getJsonObject("machine").getValue("cpuPressureSomePercent"));

      writer.close();
      fleet.closeAll();
    }
    return result;
  }

  /**
   * Checks the cut and kill options against each other and the run; returns the killed node's index, or -1.
   * Sockets stay on their node throughout, so that what each node's sockets lost is exact.
   */
  private int checkFaults(int nodes, int duration) {
    boolean cut = cutCommand != null || healCommand != null;
    boolean kill = killCommand != null || killNode != null;
    if ((cut || kill) && nodes < 2) {
      throw new UsageException("--cut-command and --kill-command need several nodes (--url a,b)");
    }
    if ((cut || kill) && reconnectEvery > 0) {
      throw new UsageException("--cut-command and --kill-command keep every socket on its node: no --reconnect-every");
    }
    if (cut && kill) {
      throw new UsageException("one fault per run: --cut-command or --kill-command, not both");
    }
    if (cut) {
      if (cutCommand == null || healCommand == null) {
        throw new UsageException("--cut-command and --heal-command go together");
      }
      if (cutAt < 0 || cutFor <= 0 || cutAt + cutFor > duration) {
        throw new UsageException("the cut (--cut-at " + cutAt + " --cut-for " + cutFor
            + ") must start at 0 s or later, last more than 0 s and end within --duration " + duration);
      }
    }
    if (!kill) {
      return -1;
    }
    if (killCommand == null || killNode == null) {
      throw new UsageException("--kill-command and --kill-node go together");
    }
    UsageException.requireWithin("--kill-node", killNode, 1, nodes);
    if (killAt < 0 || killAt >= duration) {
      throw new UsageException("--kill-at must be within the measured phase (0 to " + duration + " s), got " + killAt);
    }
    return killNode - 1;
  }

  /** The cut's heal runs even when the run ends early; the books learn when each fault took effect. */
  private FaultSchedule faults(FanoutLedger ledger, int killed) {
    if (cutCommand != null) {
      return new FaultSchedule(List.of(
          new FaultSchedule.Step("cut", cutAt, cutCommand, false, at -> { }, ledger::cutStarted),
          new FaultSchedule.Step("heal", cutAt + cutFor, healCommand, true, ledger::cutEnded, at -> { })));
    }
    if (killCommand != null) {
      return new FaultSchedule(List.of(
          new FaultSchedule.Step("kill", killAt, killCommand, false, at -> { }, at -> ledger.nodeDown(killed))));
    }
    return FaultSchedule.none();
  }

  /** Per node lost and closed, and the cut's cross-node delays or the kill's unanswered creates. */
  private String faultHeadline(JsonObject summary, CreateWriter writer) {
    if (cutCommand == null && killCommand == null) {
      return "";
    }
    StringBuilder line = new StringBuilder();
    JsonArray nodes = summary.getJsonArray("nodes");
    for (int node = 0; node < nodes.size(); node++) {
      JsonObject books = nodes.getJsonObject(node);
      line.append(String.format(Locale.ROOT, " node%d(lost=%d duplicates=%d closed=%d%s)", node + 1,
          books.getLong("lost"), books.getLong("duplicates"), books.getInteger("closed"),
          books.getBoolean("down") ? " killed" : ""));
    }
    if (cutCommand != null) {
      JsonObject cut = summary.getJsonObject("crossNodeDuringCutMs");
      line.append(String.format(Locale.ROOT, " crossNodeDuringCut=%d p50=%.1fms p99=%.1fms max=%.1fms",
          cut.getLong("count"), cut.getDouble("p50"), cut.getDouble("p99"), cut.getDouble("max")));
    } else {
      line.append(" unanswered=").append(writer.unanswered());
    }
    return line.toString();
  }

  /** Sends one phase's creates with a progress line each second, then waits for late deliveries. */
  private static void drive(String phase, Progress progress, CreateWriter writer, FanoutLedger ledger,
                            SocketFleet fleet, int duration, int drain, Result result) throws InterruptedException {
    Future<Void> writing = writer.start();
    long start = System.nanoTime();
    // Bounded by the schedule plus a grace period for the last answers.
    long sendDeadline = start + TimeUnit.SECONDS.toNanos(duration + 30L);
    long lastDelivered = 0;
    int lastSent = 0;
    while (!writing.isComplete() && System.nanoTime() < sendDeadline) {
      TimeUnit.SECONDS.sleep(1);
      long delivered = ledger.delivered();
      int sentNow = writer.sent();
      progress.line("%s: creates %d/%d (%d/s)  deliveries %d (%d/s)  pending %d  p99 of the second %.1f ms"
              + "  errors %d  closed %d",
          phase, sentNow, writer.total(), sentNow - lastSent, delivered, delivered - lastDelivered,
          ledger.pending(), LatencyRecorder.percentileMillis(ledger.latency.interval(), 99), writer.errors(),
          fleet.closedUnexpectedly());
      lastDelivered = delivered;
      lastSent = sentNow;
    }
    if (!writing.isComplete()) {
      result.fail(phase + ": creates still unanswered " + (duration + 30) + " s after the start: "
          + (writer.sent() - writer.answered()));
    }
    // Wait for deliveries still on the wire, but no longer than --drain seconds.
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
    while (ledger.pending() > 0 && System.nanoTime() < drainDeadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** Which ledger the sockets' messages go to: the warm-up's first, then the measured one. */
  private static final class Router {
    volatile FanoutLedger current;

    Router(FanoutLedger initial) {
      this.current = initial;
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
