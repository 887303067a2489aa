package com.incidenthub.loadtest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of one subcommand: {@code --name value}, {@code --name=value} and bare flags.
 *
 * <p>Every value is range-checked when read, because the harness promises to stay bounded in time and
 * count: a typo such as {@code --duration 3000} must stop with a message, not run for an hour.
 */
final class Options {

  /** A command line the harness cannot run; the message is meant for the user as is. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @param valued names that take a value
   * @param flags  names that take none
   */
  static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        values.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args.get(++i);
        }
        values.put(name, value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return new Options(values);
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback, int min, int max) {
    String raw = values.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return checkRange(name, Integer.parseInt(raw.trim()), min, max);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + raw + "'");
    }
  }

  double decimal(String name, double fallback, double min, double max) {
    String raw = values.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (!(value >= min && value <= max)) {
        throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + raw + "'");
    }
  }

  /** A process id, or -1 when the option is absent. */
  long pid(String name) {
    String raw = values.get(name);
    if (raw == null) {
      return -1;
    }
    try {
      long pid = Long.parseLong(raw.trim());
      if (pid <= 0) {
        throw new NumberFormatException();
      }
      return pid;
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a process id, got '" + raw + "'");
    }
  }

  private static int checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }
}
