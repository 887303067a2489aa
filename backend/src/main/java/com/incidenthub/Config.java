package com.incidenthub;

import com.incidenthub.auth.AccessTokens;
import com.incidenthub.auth.OriginCheck;
import com.incidenthub.auth.TrustedProxies;
import com.incidenthub.ops.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Runtime settings, read once from environment variables; every one has a default. */
public record Config(
    int httpPort,
    Optional<String> mongoUri,
    String mongoDb,
    String dataDir,
    Path staticDir,
    String logLevel,
    Duration wsPingInterval,
    LogFormat logFormat,
    Optional<Duration> retention,
    AccessTokens authTokens,
    List<OriginCheck.Origin> allowedOrigins,
    TrustedProxies trustedProxies,
    int writesPerSecond,
    int writeBurst,
    int maxSocketsPerClient,
    int maxChannelsPerSocket,
    int maxMessagesPerSecond,
    int hubInstances,
    List<String> clusterMembers,
    Optional<String> clusterHost,
    int clusterPort,
    int resumeMaxEvents,
    boolean metricsEnabled,
    Duration httpIdleTimeout,
    Duration httpRequestTimeout,
    Duration positionCheck) {

  private static final Pattern HOST_AND_PORT = Pattern.compile("[A-Za-z0-9._-]+:[0-9]{1,5}");

  public Config {
    clusterMembers = List.copyOf(clusterMembers);
    if (!clusterMembers.isEmpty() && clusterHost.isEmpty()) {
      throw new IllegalArgumentException("CLUSTER_HOST must be set when CLUSTER_MEMBERS is: the address this node "
          + "binds and advertises to the others");
    }
  }

  public static Config fromEnv(Map<String, String> env) {
    return new Config(
        intSetting(env, "HTTP_PORT", 8081, 0, 65535),
        setting(env, "MONGO_URI"),
        env.getOrDefault("MONGO_DB", "incidents"),
        env.getOrDefault("DATA_DIR", "data"),
        Path.of(env.getOrDefault("STATIC_DIR", "frontend/public")),
        env.getOrDefault("LOG_LEVEL", "INFO"),
        Duration.ofSeconds(intSetting(env, "WS_PING_INTERVAL_SECONDS", 30, 1, 3600)),
        LogFormat.parse(env.get("LOG_FORMAT")),
        retention(env),
        AccessTokens.parse(setting(env, "AUTH_TOKENS"), setting(env, "AUTH_TOKENS_FILE").map(Path::of)),
        OriginCheck.parseAllowed(setting(env, "ALLOWED_ORIGINS")),
        TrustedProxies.parse(setting(env, "TRUSTED_PROXIES")),
        intSetting(env, "WRITES_PER_SECOND", 50, 1, 1_000_000),
        intSetting(env, "WRITE_BURST", 100, 1, 1_000_000),
        intSetting(env, "MAX_SOCKETS_PER_CLIENT", 1000, 1, 1_000_000),
        intSetting(env, "MAX_CHANNELS_PER_SOCKET", 100, 1, 10_000),
        intSetting(env, "MAX_MESSAGES_PER_SECOND", 20, 1, 100_000),
        intSetting(env, "HUB_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        members(env.get("CLUSTER_MEMBERS")),
        setting(env, "CLUSTER_HOST").map(String::trim),
        intSetting(env, "CLUSTER_PORT", 5701, 1, 65535),
        intSetting(env, "RESUME_MAX_EVENTS", 1000, 1, 100_000),
        booleanSetting(env, "METRICS_ENABLED", true),
        Duration.ofSeconds(intSetting(env, "HTTP_IDLE_TIMEOUT_SECONDS", 60, 1, 3600)),
        Duration.ofSeconds(intSetting(env, "HTTP_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600)),
        Duration.ofSeconds(intSetting(env, "POSITION_CHECK_SECONDS", 2, 1, 3600)));
  }

  public boolean clustered() {
    return !clusterMembers.isEmpty();
  }

  public Config withMongoUri(String uri) {
    return new Config(httpPort, Optional.of(uri), mongoDb, dataDir, staticDir, logLevel, wsPingInterval, logFormat,
        retention, authTokens, allowedOrigins, trustedProxies, writesPerSecond, writeBurst, maxSocketsPerClient,
        maxChannelsPerSocket, maxMessagesPerSecond, hubInstances, clusterMembers, clusterHost, clusterPort,
        resumeMaxEvents, metricsEnabled, httpIdleTimeout, httpRequestTimeout, positionCheck);
  }

  /**
   * The settings worth logging at start-up: the MongoDB URI may carry credentials, so only its host part; of the
   * tokens, only their names.
   */
  public String describe() {
    return "HTTP_PORT=" + httpPort
        + " MONGO_URI=" + mongoUri.map(Config::withoutCredentials).orElse("(embedded store, DATA_DIR=" + dataDir + ")")
        + " MONGO_DB=" + mongoDb
        + " STATIC_DIR=" + staticDir
        + " LOG_LEVEL=" + logLevel
        + " WS_PING_INTERVAL_SECONDS=" + wsPingInterval.toSeconds()
        + " LOG_FORMAT=" + logFormat.settingValue()
        + " RETENTION_DAYS=" + retention.map(days -> String.valueOf(days.toDays())).orElse("(keep everything)")
        + " AUTH_TOKENS=" + authTokens
        + " ALLOWED_ORIGINS=" + (allowedOrigins.isEmpty() ? "(none)" : allowedOrigins)
        + " TRUSTED_PROXIES=" + trustedProxies
        + " WRITES_PER_SECOND=" + writesPerSecond
        + " WRITE_BURST=" + writeBurst
        + " MAX_SOCKETS_PER_CLIENT=" + maxSocketsPerClient
        + " MAX_CHANNELS_PER_SOCKET=" + maxChannelsPerSocket
        + " MAX_MESSAGES_PER_SECOND=" + maxMessagesPerSecond
        + " HUB_INSTANCES=" + hubInstances
        + (clustered()
            ? " CLUSTER_MEMBERS=" + String.join(",", clusterMembers) + " CLUSTER_HOST=" + clusterHost.orElseThrow()
                + " CLUSTER_PORT=" + clusterPort
            : " (standalone: CLUSTER_MEMBERS is not set)")
        + " RESUME_MAX_EVENTS=" + resumeMaxEvents
        + " METRICS_ENABLED=" + metricsEnabled
        + " HTTP_IDLE_TIMEOUT_SECONDS=" + httpIdleTimeout.toSeconds()
        + " HTTP_REQUEST_TIMEOUT_SECONDS=" + httpRequestTimeout.toSeconds()
        + " POSITION_CHECK_SECONDS=" + positionCheck.toSeconds();
  }

  private static String withoutCredentials(String uri) {
    return uri.replaceFirst("//[^@/]*@", "//***@");
  }

  /** {@code RETENTION_DAYS}: unset keeps every incident; a number deletes incidents resolved that many days ago. */
  private static Optional<Duration> retention(Map<String, String> env) {
    String raw = env.get("RETENTION_DAYS");
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofDays(intSetting(env, "RETENTION_DAYS", 0, 1, 36500)));
  }

  /** {@code CLUSTER_MEMBERS=a:5701,b:5701}; unset or blank means standalone. */
  private static List<String> members(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    List<String> members = Arrays.stream(raw.split(",", -1)).map(String::trim).toList();
    for (String member : members) {
      if (!HOST_AND_PORT.matcher(member).matches()
          || Integer.parseInt(member.substring(member.lastIndexOf(':') + 1)) > 65535) {
        throw new IllegalArgumentException("CLUSTER_MEMBERS must be a comma-separated list of host:port, got '"
            + raw + "'");
      }
    }
    return members;
  }

  /** A variable's value; unset and blank are the same, so that Compose can pass an empty default through. */
  private static Optional<String> setting(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
  }

  private static boolean booleanSetting(Map<String, String> env, String name, boolean fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got '" + raw + "'");
    };
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
