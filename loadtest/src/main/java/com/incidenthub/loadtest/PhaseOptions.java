package com.incidenthub.loadtest;

import picocli.CommandLine.Option;

/** How long the load scenarios (fanout, rest) warm up and then measure. */
final class PhaseOptions {

  @Option(names = "--duration", order = 10, paramLabel = "D", defaultValue = "30",
      description = "seconds of measured load (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--warmup", order = 11, paramLabel = "W", defaultValue = "5",
      description = "seconds of load before the measured phase, checked but not counted: the harness is a fresh"
          + " JVM each run (default: ${DEFAULT-VALUE})")
  int warmup;

  int duration() {
    return UsageException.requireWithin("--duration", duration, 1, 600);
  }

  int warmup() {
    return UsageException.requireWithin("--warmup", warmup, 0, 60);
  }
}
