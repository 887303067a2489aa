package com.incidenthub.ops;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/** {@code LOG_FORMAT}: log lines as text for people, or as one JSON object each for log shippers. */
public enum LogFormat {
  TEXT, JSON;

  public static LogFormat parse(String raw) {
    if (raw == null || raw.isBlank()) {
      return TEXT;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("LOG_FORMAT must be text or json, got '" + raw + "'");
    };
  }

  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Tells logback.xml which console appender to include, before anything is logged. An invalid value gets the text
   * one, so that the start-up error saying why it is refused can be read.
   */
  public static final class LogbackDefiner extends PropertyDefinerBase {
    @Override
    public String getPropertyValue() {
      try {
        return parse(System.getenv("LOG_FORMAT")).settingValue();
      } catch (IllegalArgumentException e) {
        return TEXT.settingValue();
      }
    }
  }
}
