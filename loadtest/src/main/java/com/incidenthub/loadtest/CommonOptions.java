package com.incidenthub.loadtest;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** The options every scenario takes: where the hub is, which process it is, and the harness's own loops. */
final class CommonOptions {

  @Option(names = "--url", order = 100, paramLabel = "URL", split = ",", defaultValue = Target.DEFAULT_URL,
      description = "REST base of the hub (default: ${DEFAULT-VALUE}; behind nginx: http://host/api); fanout takes"
          + " several nodes' (comma-separated or repeated) and spreads sockets and creates over them")
  List<String> urls;

  @Option(names = "--ws-url", order = 101, paramLabel = "URL", split = ",",
      description = "socket endpoint, one per --url (default: each --url's host and port with path /ws)")
  List<String> wsUrls;

  @Option(names = "--token", order = 107, paramLabel = "TOKEN",
      description = "bearer token for every request and socket, for a hub with AUTH_TOKENS (default: the"
          + " environment variable HUB_TOKEN, which keeps it out of the process list); fanout and rest create"
          + " incidents, so they need a reporter's token or higher")
  String token = System.getenv("HUB_TOKEN");

  @Option(names = "--allow-remote", order = 102,
      description = "accept a non-loopback host (off: the harness only loads this machine)")
  boolean allowRemote;

  @Option(names = "--server-pid", order = 103, paramLabel = "PID",
      description = "the hub's process id: adds its CPU time (and, for idle, its RSS) to the summary")
  Long serverPid;

  @Option(names = "--event-loops", order = 104, paramLabel = "N",
      description = "harness event loops (default: number of cores)")
  Integer eventLoops;

  @Option(names = "--profile", order = 105, paramLabel = "FILE",
      description = "profile the hub (needs --server-pid) with async-profiler during the measured phase;"
          + " FILE.html is a flame graph, FILE.collapsed collapsed stacks, FILE.jfr a JFR recording")
  Path profile;

  @Option(names = "--profile-event", order = 106, paramLabel = "EVENT", defaultValue = "itimer",
      description = "async-profiler event for --profile: itimer (default; works with perf_event_paranoid=2),"
          + " cpu, wall, alloc, lock")
  String profileEvent;

  @Option(names = {"-h", "--help"}, order = 199, usageHelp = true, description = "show this help and exit")
  boolean help;

  /** The one node of a scenario that loads one node. */
  Target target() {
    List<Target> all = targets();
    if (all.size() > 1) {
      throw new UsageException("only fanout spreads over several nodes; give one --url");
    }
    return all.get(0);
  }

  /** Every node given, in order. */
  List<Target> targets() {
    if (wsUrls != null && wsUrls.size() != urls.size()) {
      throw new UsageException("--ws-url must be given once per --url (" + urls.size() + "), got " + wsUrls.size());
    }
    return IntStream.range(0, urls.size())
        .mapToObj(i -> Target.of(urls.get(i), wsUrls == null ? null : wsUrls.get(i), allowRemote, token))
        .toList();
  }

  /** The hub's /proc figures, or null without --server-pid; a pid that cannot be read stops the run here. */
  ProcStats server() {
    if (serverPid == null) {
      return null;
    }
    if (serverPid <= 0) {
      throw new UsageException("--server-pid must be a process id, got " + serverPid);
    }
    return ProcStats.of(serverPid);
  }

  int eventLoops() {
    int cores = Runtime.getRuntime().availableProcessors();
    return UsageException.requireWithin("--event-loops", eventLoops == null ? cores : eventLoops, 1, 64);
  }

  /** A profiler for the measured phase, or {@link ServerProfiler#NONE} without --profile. */
  ServerProfiler profiler() {
    if (profile == null) {
      return ServerProfiler.NONE;
    }
    if (serverPid == null) {
      throw new UsageException("--profile needs --server-pid: the profiler attaches to the hub's process");
    }
    return ServerProfiler.of(serverPid, profileEvent, profile);
  }
}
