package com.incidenthub.loadtest;

import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One subcommand of the harness. A scenario declares its options as picocli fields (the usage text is
 * generated from them), checks their bounds when it runs, and returns a {@link Result}; printing the
 * summary and choosing the exit code is done here, the same way for every scenario.
 */
abstract class Scenario implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  abstract Result run() throws InterruptedException;

  @Override
  public Integer call() throws InterruptedException {
    Result result = run();
    System.out.println(result.finish().encodePrettily());
    System.out.flush();
    // One grep-able line last on stderr: what CI logs and the benchmark document quote.
    String scenario = result.summary().getString("scenario");
    System.err.println(result.passed()
        ? "RESULT " + scenario + " PASSED " + result.headline()
        : "RESULT " + scenario + " FAILED " + result.headline() + " | "
            + String.join("; ", result.finish().getJsonArray("failures").getList()));
    return result.passed() ? 0 : 1;
  }

  /** A fresh channel namespace per run: leftovers or a concurrent run cannot be mistaken for this run's. */
  static String newRunId() {
    return Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
  }
}
