package com.incidenthub.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** Entry point of the load harness: {@code java -jar loadtest.jar fanout|rest|idle [options]}. */
@Command(name = "java -jar loadtest/target/loadtest.jar",
    subcommands = {FanoutScenario.class, RestScenario.class, IdleScenario.class, HelpCommand.class},
    description = "Loads a running Incident Hub and checks every answer and delivery.",
    footer = LoadTest.FOOTER)
public final class LoadTest {

  /** The closing paragraph of every usage text. */
  static final String FOOTER = """

      Progress goes to stderr once a second, then one RESULT line; the JSON summary goes to stdout. \
      Exit code 0 when the run was correct, 1 when anything was lost, duplicated, out of order or failed, \
      2 for a bad command line.""";

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  private LoadTest() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new LoadTest())
        .setUsageHelpAutoWidth(true)
        .setParameterExceptionHandler(LoadTest::badCommandLine)
        .setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd));
  }

  private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("loadtest: " + e.getMessage());
    if (cmd.getParent() == null) {
      cmd.usage(err); // no scenario given: show the scenarios
    } else {
      err.println("run with --help for the options of " + cmd.getCommandName());
    }
    return 2;
  }

  private static int failed(Exception e, CommandLine cmd) throws Exception {
    PrintWriter err = cmd.getErr();
    if (e instanceof UsageException) {
      err.println("loadtest: " + e.getMessage());
      err.println("run with --help for the options of " + cmd.getCommandName());
      return 2;
    }
    if (e instanceof IllegalStateException) {
      err.println("loadtest: " + e.getMessage());
      return 2;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println("loadtest: interrupted");
      return 1;
    }
    throw e;
  }
}
