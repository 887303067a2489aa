package com.incidenthub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Runtime settings, read once from environment variables; every one has a default. */
public record Config(
    int httpPort,
    Optional<String> mongoUri,
    String mongoDb,
    String dataDir,
    Path staticDir,
    String logLevel,
    Duration wsPingInterval,
    Duration httpIdleTimeout,
    Duration httpRequestTimeout) {

  public static Config fromEnv(Map<String, String> env) {
    return new Config(
        intSetting(env, "HTTP_PORT", 8081, 0, 65535),
        Optional.ofNullable(env.get("MONGO_URI")).filter(uri -> !uri.isBlank()),
        env.getOrDefault("MONGO_DB", "incidents"),
        env.getOrDefault("DATA_DIR", "data"),
        Path.of(env.getOrDefault("STATIC_DIR", "frontend/public")),
        env.getOrDefault("LOG_LEVEL", "INFO"),
        Duration.ofSeconds(intSetting(env, "WS_PING_INTERVAL_SECONDS", 30, 1, 3600)),
        Duration.ofSeconds(intSetting(env, "HTTP_IDLE_TIMEOUT_SECONDS", 60, 1, 3600)),
        Duration.ofSeconds(intSetting(env, "HTTP_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600)));
  }

  public Config withHttpPort(int port) {
    return new Config(port, mongoUri, mongoDb, dataDir, staticDir, logLevel, wsPingInterval, httpIdleTimeout,
        httpRequestTimeout);
  }

  public Config withMongoUri(String uri) {
    return new Config(httpPort, Optional.of(uri), mongoDb, dataDir, staticDir, logLevel, wsPingInterval,
        httpIdleTimeout, httpRequestTimeout);
  }

  /** The settings worth logging at start-up: the MongoDB URI may carry credentials, so only its host part. */
  public String describe() {
    return "HTTP_PORT=" + httpPort
        + " MONGO_URI=" + mongoUri.map(Config::withoutCredentials).orElse("(embedded store, DATA_DIR=" + dataDir + ")")
        + " MONGO_DB=" + mongoDb
        + " STATIC_DIR=" + staticDir
        + " LOG_LEVEL=" + logLevel
        + " WS_PING_INTERVAL_SECONDS=" + wsPingInterval.toSeconds()
        + " HTTP_IDLE_TIMEOUT_SECONDS=" + httpIdleTimeout.toSeconds()
        + " HTTP_REQUEST_TIMEOUT_SECONDS=" + httpRequestTimeout.toSeconds();
  }

  private static String withoutCredentials(String uri) {
    return uri.replaceFirst("//[^@/]*@", "//***@");
  }

  private static int intSetting(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'", e);
    }
  }
}
