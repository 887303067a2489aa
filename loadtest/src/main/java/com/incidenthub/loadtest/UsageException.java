package com.incidenthub.loadtest;

/** A command line the harness cannot run (exit code 2); the message is meant for the user as is. */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message);
  }

  /**
   * {@code value} when it is within {@code [min, max]}. The harness promises to stay bounded in time and
   * count: a typo such as {@code --duration 3000} must stop with a message, not run for an hour.
   */
  static int requireWithin(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException(option + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
