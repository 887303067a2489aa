package com.incidenthub.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Shell commands run at set times of the measured phase, to break something on purpose: cut the cluster links and
 * heal them, or kill a node. The harness cannot know how the nodes are run or networked, so what a cut or a kill is
 * stays the caller's command; the harness runs it on time, tells the books when it took effect, and reports how it
 * went. A step marked {@code always} (a heal) also runs when the run ends before its time, so that nothing is left
 * broken behind the harness.
 */
final class FaultSchedule implements AutoCloseable {

  /** Longest a command may take before it is killed and its step failed. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One command, {@code atSeconds} after the measured phase started; {@code before} is called with the time just
   * before it starts, {@code after} with the time it exited 0.
   */
  record Step(String name, double atSeconds, String command, boolean always, LongConsumer before,
              LongConsumer after) {
  }

  private final List<Step> steps;
  private final Duration commandTimeout;
  private final List<JsonObject> outcomes = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Thread thread;
  private long startNanos;

  /** @param steps in the order of their times */
  FaultSchedule(List<Step> steps) {
    this(steps, COMMAND_TIMEOUT);
  }

  FaultSchedule(List<Step> steps, Duration commandTimeout) {
    this.steps = List.copyOf(steps);
    this.commandTimeout = commandTimeout;
  }

  static FaultSchedule none() {
    return new FaultSchedule(List.of());
  }

  boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Runs the steps on a thread of their own, timed from {@code startNanos}. */
  void start(long startNanos) {
    this.startNanos = startNanos;
    if (steps.isEmpty()) {
      return;
    }
    thread = new Thread(this::runSteps, "fault-schedule");
    thread.setDaemon(true);
    thread.start();
  }

  private void runSteps() {
    boolean stopping = false;
    for (Step step : steps) {
      long due = startNanos + (long) (step.atSeconds() * 1e9);
      if (!stopping) {
        try {
          stopping = stopped.await(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          stopping = true;
        }
      }
      if (!stopping || step.always()) {
        run(step);
      }
    }
  }

  private void run(Step step) {
    long began = System.nanoTime();
    step.before().accept(began);
    JsonObject outcome = new JsonObject().put("step", step.name()).put("command", step.command())
        .put("plannedAtSeconds", step.atSeconds()).put("ranAtSeconds", seconds(began - startNanos));
    int exit;
    try {
      // The command's output goes to stderr with the progress lines (stdout is the summary's alone), straight from
      // the shell: read through a pipe, a command that hangs would hold the harness past its timeout.
      Process process = new ProcessBuilder("sh", "-c", "exec 1>&2\n" + step.command())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      if (process.waitFor(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        exit = process.exitValue();
      } else {
        process.destroyForcibly();
        exit = -1;
      }
    } catch (IOException e) {
      outcome.put("error", e.getMessage());
      exit = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exit = -1;
    }
    long ended = System.nanoTime();
    outcome.put("exitCode", exit).put("tookMs", Math.round((ended - began) / 1e6));
    synchronized (this) {
      outcomes.add(outcome);
      if (exit != 0) {
        failures.add(step.name() + " command exited " + exit + ": " + step.command());
      }
    }
    if (exit == 0) {
      step.after().accept(ended);
    }
  }

  /** Runs what is left of the steps marked always, at once, and waits for the schedule to end. */
  @Override
  public void close() throws InterruptedException {
    stopped.countDown();
    if (thread != null) {
      thread.join(commandTimeout.multipliedBy(steps.size()).plusSeconds(5).toMillis());
    }
  }

  synchronized List<String> failures() {
    return List.copyOf(failures);
  }

  synchronized JsonArray toJson() {
    return new JsonArray(List.copyOf(outcomes));
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1000.0;
  }
}
