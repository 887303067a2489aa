package com.incidenthub.loadtest;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Entry point of the load harness: {@code java -jar loadtest.jar fanout|rest|idle [options]}. */
public final class LoadTest {

  private static final Set<String> COMMON = Set.of("url", "ws-url", "server-pid", "event-loops");
  private static final Set<String> FLAGS = Set.of("allow-remote", "help", "ws-compression");

  static final String USAGE = """
      usage: java -jar loadtest/target/loadtest.jar <fanout|rest|idle> [options]

      common options
        --url URL            REST base of the hub (default http://127.0.0.1:8081; behind nginx: http://host/api)
        --ws-url URL         socket endpoint (default: the --url's host and port with path /ws)
        --server-pid PID     the backend's process id: adds its CPU time (and, for idle, its RSS) to the summary
        --event-loops N      harness event loops (default: number of cores)
        --allow-remote       accept a non-loopback host (off: the harness only loads this machine)
        --ws-compression     offer permessage-deflate on sockets, as browsers do (fanout, idle)

      fanout   N sockets over C channels, creates at R/s for D s; every delivery checked and timed
        --sockets N (1000)  --channels C (10)  --rate R (50)  --duration D (30)
        --connect-batch B (200 handshakes in flight)  --drain S (10 s max wait for late deliveries)
        --post-connections P (16)

      rest     closed loop: K keep-alive connections for D s
        --connections K (32)  --duration D (30)  --channels C (20)
        --mix create=8,list=1,patch=1 (default create=1)

      idle     N sockets held open for D s; with --server-pid reports the server's RSS per socket
        --sockets N (10000)  --duration D (30)  --connect-batch B (200)  --channels C (0 = all channels)

      Progress goes to stderr once a second, the JSON summary to stdout. Exit code 0 when the run was
      correct, 1 when anything was lost, duplicated, out of order or failed, 2 for a bad command line.
      """;

  private LoadTest() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0 || Set.of("-h", "--help", "help").contains(args[0])) {
      System.err.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String scenario = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      Set<String> valued = new HashSet<>(COMMON);
      switch (scenario) {
        case "fanout" -> valued.addAll(FanoutScenario.OPTIONS);
        case "rest" -> valued.addAll(RestScenario.OPTIONS);
        case "idle" -> valued.addAll(IdleScenario.OPTIONS);
        default -> throw new Options.UsageException("unknown scenario '" + scenario + "' (fanout, rest, idle)");
      }
      Options options = Options.parse(rest, valued, FLAGS);
      if (options.flag("help")) {
        System.err.print(USAGE);
        return 0;
      }
      Target target = Target.fromOptions(options);
      long pid = options.pid("server-pid");
      ProcStats server = pid > 0 ? ProcStats.of(pid) : null;
      int eventLoops = options.integer("event-loops", Runtime.getRuntime().availableProcessors(), 1, 64);

      Result result = switch (scenario) {
        case "fanout" -> FanoutScenario.run(options, target, server, eventLoops);
        case "rest" -> RestScenario.run(options, target, server, eventLoops);
        default -> IdleScenario.run(options, target, server, eventLoops);
      };
      System.out.println(result.finish().encodePrettily());
      System.out.flush();
      // One grep-able line last on stderr: what CI logs and the benchmark document quote.
      String scenarioName = result.summary().getString("scenario");
      System.err.println(result.passed()
          ? "RESULT " + scenarioName + " PASSED " + result.headline()
          : "RESULT " + scenarioName + " FAILED " + result.headline() + " | "
              + String.join("; ", result.finish().getJsonArray("failures").getList()));
      return result.passed() ? 0 : 1;
    } catch (Options.UsageException e) {
      System.err.println("loadtest: " + e.getMessage());
      System.err.println("run with --help for the options");
      return 2;
    } catch (IllegalStateException e) {
      System.err.println("loadtest: " + e.getMessage());
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("loadtest: interrupted");
      return 1;
    }
  }
}
