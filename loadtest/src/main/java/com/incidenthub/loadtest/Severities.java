package com.incidenthub.loadtest;

import java.util.List;

/** The API's severities, which the harness's creates take in turn; a test holds them to the API's schema. */
final class Severities {
  static final List<String> ALL = List.of("low", "medium", "high");

  private Severities() {}

  /** The severity of the {@code n}-th create: each in turn, so every run sends all of them. */
  static String nth(long n) {
    return ALL.get((int) (n % ALL.size()));
  }
}
