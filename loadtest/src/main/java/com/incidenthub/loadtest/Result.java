package com.incidenthub.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one scenario: a JSON summary plus the reasons it failed, if any.
 *
 * <p>A run fails on correctness (lost or duplicated deliveries, errors), never on latency: latency budgets
 * belong in the benchmark document, where the machine is stated, not in an exit code that CI reads on a
 * machine we know nothing about.
 */
final class Result {

  private final JsonObject summary;
  private final List<String> failures = new ArrayList<>();
  private String headline = "";

  Result(String scenario) {
    this.summary = new JsonObject().put("scenario", scenario);
  }

  JsonObject summary() {
    return summary;
  }

  /** Records a failure when {@code count} is above zero. */
  Result failIfPositive(long count, String what) {
    if (count > 0) {
      failures.add(what + ": " + count);
    }
    return this;
  }

  Result fail(String reason) {
    failures.add(reason);
    return this;
  }

  /** The handful of numbers that matter, for a log line. */
  Result headline(String format, Object... args) {
    this.headline = String.format(Locale.ROOT, format, args);
    return this;
  }

  String headline() {
    return headline;
  }

  boolean passed() {
    return failures.isEmpty();
  }

  /** The summary with the verdict appended last, so it is the first thing a reader sees at the bottom. */
  JsonObject finish() {
    return summary.put("passed", passed()).put("failures", new JsonArray(List.copyOf(failures)));
  }
}
